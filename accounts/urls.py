from django.urls import path

from . import badge_views, expert_views, privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile_edit, name="profile_edit"),
    path("me/export/", privacy_views.export, name="export"),
    path("me/delete/", privacy_views.delete, name="delete_account"),
    path("experts/apply/", expert_views.expert_apply, name="expert_apply"),
    path("experts/application/", expert_views.expert_application, name="expert_application"),
    path("experts/statement/", expert_views.expert_statement, name="expert_statement"),
    path("experts/review/", expert_views.expert_queue, name="expert_queue"),
    path("experts/review/<int:pk>/", expert_views.expert_review, name="expert_review"),
    path("experts/review/<int:pk>/decide/", expert_views.expert_decide, name="expert_decide"),
    path("experts/review/<int:pk>/revoke/", expert_views.expert_revoke, name="expert_revoke"),
    path("experts/documents/<int:pk>/", expert_views.expert_document, name="expert_document"),
    path("badges/", badge_views.badges, name="badges"),
    path("badges/<slug:code>/", badge_views.badge_detail, name="badge"),
]

from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("ask/<int:pk>/thanks/", views.ask_done, name="ask_done"),
    path("q/<int:pk>/", views.question_detail, name="question_short"),
    path("q/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("q/<int:pk>/answer/", views.answer_create, name="answer_create"),
    path("q/<int:pk>/<slug:slug>/", views.question_detail, name="question"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/<str:kind>/<int:pk>/decide/", views.moderation_decide, name="moderation_decide"),
    path("moderation/audit/", views.audit_log, name="audit_log"),
    path("terms/", TemplateView.as_view(template_name="pages/terms.html"), name="terms"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "comment-policy/",
        TemplateView.as_view(template_name="pages/comment_policy.html"),
        name="comment_policy",
    ),
]

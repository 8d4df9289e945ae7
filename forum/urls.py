from django.urls import path
from django.views.generic import TemplateView

from . import curation_views, notification_views, preview_views, safety_views, views
from .search import views as search_views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("ask/<int:pk>/thanks/", views.ask_done, name="ask_done"),
    path("q/<int:pk>/", views.question_detail, name="question_short"),
    path("q/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("q/<int:pk>/answer/", views.answer_create, name="answer_create"),
    path("q/<int:pk>/history/", views.question_history, name="question_history"),
    path("q/<int:pk>/<slug:slug>/", views.question_detail, name="question"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/history/", views.answer_history, name="answer_history"),
    path("answers/<int:pk>/accept/", curation_views.accept, name="accept"),
    path("answers/<int:pk>/feature/", curation_views.feature, name="feature"),
    path("votes/<str:kind>/<int:pk>/", curation_views.vote, name="vote"),
    path("experts/answers/", curation_views.expert_qa, name="expert_qa"),
    path("experts/awaiting/", curation_views.awaiting_expert, name="awaiting_expert"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("tags/", search_views.tags_index, name="tags"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("search/", search_views.search, name="search"),
    path("unanswered/", search_views.unanswered, name="unanswered"),
    path("preview/", preview_views.markdown_preview, name="markdown_preview"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/<str:kind>/<int:pk>/decide/", views.moderation_decide, name="moderation_decide"),
    path("moderation/audit/", views.audit_log, name="audit_log"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("notifications/read-all/", notification_views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    # Trust and safety (forum.safety_views)
    path("flag/<str:kind>/<int:pk>/", safety_views.flag, name="flag"),
    path("moderation/flagged/", safety_views.flagged, name="flagged"),
    path("moderation/flagged/<str:kind>/<int:pk>/", safety_views.flag_decide, name="flag_decide"),
    path("moderation/appeals/", safety_views.appeals_list, name="appeals"),
    path("moderation/member/<int:pk>/", safety_views.member_moderation, name="member_moderation"),
    path("moderation/member/<int:pk>/sanction/", safety_views.member_sanction, name="member_sanction"),
    path("moderation/sanctions/<int:pk>/lift/", safety_views.sanction_lift, name="sanction_lift"),
    path("moderation/item/<str:kind>/<int:pk>/", safety_views.moderate_item, name="moderate_item"),
    path(
        "moderation/item/<str:kind>/<int:pk>/<str:action>/",
        safety_views.moderate_action,
        name="moderate_action",
    ),
    path("notices/", safety_views.notices, name="notices"),
    path("appeals/new/<int:entry_pk>/", safety_views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", safety_views.appeal_detail, name="appeal"),
    path("safety/crisis-phrases.json", safety_views.crisis_phrases, name="crisis_phrases"),
    path("terms/", TemplateView.as_view(template_name="pages/terms.html"), name="terms"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "comment-policy/",
        TemplateView.as_view(template_name="pages/comment_policy.html"),
        name="comment_policy",
    ),
]

from django.urls import path
from django.views.generic import TemplateView

from forum.alerts import views as alert_views
from forum.curation import views as curation_views
from forum.inbox import views as inbox_views
from forum.mentions import views as mention_views
from forum.moderation import appeal_views, queue_views
from forum.moderation import views as moderation_views
from forum.posting import preview_views
from forum.posting import views as posting_views
from forum.reading import views as reading_views
from forum.safety import views as safety_views
from forum.saving import views as saving_views
from forum.search import views as search_views
from forum.similar import views as similar_views
from forum.voting import views as voting_views

app_name = "forum"

urlpatterns = [
    # Reading (forum.reading)
    path("", reading_views.home, name="home"),
    path("q/<int:pk>/", reading_views.question_detail, name="question_short"),
    path("c/<slug:slug>/", reading_views.category_detail, name="category"),
    path("tags/<slug:slug>/", reading_views.tag_detail, name="tag"),
    # Search, the tags index and the unanswered list (forum.search)
    path("search/", search_views.search, name="search"),
    path("tags/", search_views.tags_index, name="tags"),
    path("unanswered/", search_views.unanswered, name="unanswered"),
    # Asking, answering, editing (forum.posting)
    path("ask/", posting_views.ask, name="ask"),
    path("ask/<int:pk>/thanks/", posting_views.ask_done, name="ask_done"),
    path("ask/similar/", similar_views.similar_questions, name="similar_questions"),  # forum.similar
    path("q/<int:pk>/edit/", posting_views.question_edit, name="question_edit"),
    path("q/<int:pk>/answer/", posting_views.answer_create, name="answer_create"),
    path("q/<int:pk>/history/", posting_views.question_history, name="question_history"),
    # After every fixed q/<pk>/… path: a slug would match "edit", "answer" and "history" too.
    path("q/<int:pk>/<slug:slug>/", reading_views.question_detail, name="question"),
    path("answers/<int:pk>/edit/", posting_views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/history/", posting_views.answer_history, name="answer_history"),
    path("preview/", preview_views.markdown_preview, name="markdown_preview"),
    path("mentions/suggest/", mention_views.suggest, name="mention_suggest"),  # forum.mentions
    # Votes (forum.voting.services), accepted and featured answers (forum.curation.services)
    path("votes/<str:kind>/<int:pk>/", voting_views.vote, name="vote"),
    path("answers/<int:pk>/accept/", curation_views.accept, name="accept"),
    path("answers/<int:pk>/feature/", curation_views.feature, name="feature"),
    path("experts/answers/", curation_views.expert_qa, name="expert_qa"),
    path("experts/awaiting/", inbox_views.inbox, name="awaiting_expert"),
    path("experts/answering/<int:pk>/", inbox_views.claim, name="expert_claim"),
    path("experts/answering/<int:pk>/stop/", inbox_views.release, name="expert_claim_release"),
    # Saved posts, private to each member (forum.saving)
    path("save/<str:kind>/<int:pk>/", saving_views.toggle, name="save"),
    path("saved/", saving_views.saved_list, name="saved"),
    path("saved/<int:pk>/note/", saving_views.note, name="saved_note"),
    path("saved/<int:pk>/remove/", saving_views.remove, name="saved_remove"),
    # Moderation (forum.moderation.actions): the review queue, the audit log, flags, moderator tools, sanctions
    path("moderation/", queue_views.moderation_queue, name="moderation_queue"),
    path("moderation/<str:kind>/<int:pk>/decide/", queue_views.moderation_decide, name="moderation_decide"),
    path("moderation/audit/", queue_views.audit_log, name="audit_log"),
    path("moderation/overdue-for-expert/", alert_views.overdue, name="expert_overdue"),
    path("flag/<str:kind>/<int:pk>/", moderation_views.flag, name="flag"),
    path("moderation/flagged/", moderation_views.flagged, name="flagged"),
    path("moderation/flagged/<str:kind>/<int:pk>/", moderation_views.flag_decide, name="flag_decide"),
    path("moderation/member/<int:pk>/", moderation_views.member_moderation, name="member_moderation"),
    path("moderation/member/<int:pk>/sanction/", moderation_views.member_sanction, name="member_sanction"),
    path("moderation/sanctions/<int:pk>/lift/", moderation_views.sanction_lift, name="sanction_lift"),
    path("moderation/item/<str:kind>/<int:pk>/", moderation_views.moderate_item, name="moderate_item"),
    path(
        "moderation/item/<str:kind>/<int:pk>/<str:action>/",
        moderation_views.moderate_action,
        name="moderate_action",
    ),
    # Notices and appeals (forum.moderation.appeal_views)
    path("moderation/appeals/", appeal_views.appeals_list, name="appeals"),
    path("notices/", appeal_views.notices, name="notices"),
    path("appeals/new/<int:entry_pk>/", appeal_views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", appeal_views.appeal_detail, name="appeal"),
    # Safety (forum.safety)
    path("safety/crisis-phrases.json", safety_views.crisis_phrases, name="crisis_phrases"),
    path("terms/", TemplateView.as_view(template_name="pages/terms.html"), name="terms"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "comment-policy/",
        TemplateView.as_view(template_name="pages/comment_policy.html"),
        name="comment_policy",
    ),
]

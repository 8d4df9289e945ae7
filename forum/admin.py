from django.contrib import admin, messages
from django.core.cache import cache
from django.utils.translation import ngettext

from forum.models import (
    CRISIS_CACHE_KEY,
    Answer,
    Appeal,
    Category,
    CrisisPhrase,
    Flag,
    Question,
    Revision,
    Sanction,
    Status,
    Vote,
    is_moderator,
)
from forum.moderation import review


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "expert_title", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


def _decide_in_admin(modeladmin, request, queryset, decide):
    done = 0
    for item in queryset.filter(status=Status.PENDING):
        try:
            decide(item)
            done += 1
        except review.AlreadyDecided as exc:
            modeladmin.message_user(request, str(exc), messages.WARNING)
    modeladmin.message_user(
        request, ngettext("%(n)d item decided.", "%(n)d items decided.", done) % {"n": done}, messages.SUCCESS
    )


@admin.action(description="Approve selected pending items", permissions=["moderate"])
def approve_selected(modeladmin, request, queryset):
    _decide_in_admin(
        modeladmin, request, queryset, lambda item: review.approve(moderator=request.user, item=item)
    )


class ModeratedAdmin(admin.ModelAdmin):
    """Content is written through the site's services; the admin reviews and approves through them too."""

    actions = [approve_selected]
    list_filter = ["status", "created_at"]
    readonly_fields = [
        "author", "status", "score", "terms_version", "decided_by", "decided_at",
        "decision_reason", "created_at", "updated_at", "approved_at",
    ]  # fmt: skip

    def has_moderate_permission(self, request):
        return is_moderator(request.user)

    def has_add_permission(self, request):
        return False  # posts come from members through the site, with terms accepted


@admin.register(Question)
class QuestionAdmin(ModeratedAdmin):
    list_display = [
        "title",
        "category",
        "author",
        "status",
        "is_anonymous",
        "answer_count",
        "score",
        "created_at",
    ]
    list_filter = ["status", "category", "is_anonymous", "created_at"]
    search_fields = ["title", "body"]
    list_select_related = ["author", "category"]
    exclude = ["search_vector", "body_html"]
    readonly_fields = [*ModeratedAdmin.readonly_fields, "answer_count", "accepted_answer"]


@admin.register(Answer)
class AnswerAdmin(ModeratedAdmin):
    list_display = ["__str__", "author", "status", "score", "is_featured", "created_at"]
    list_filter = ["status", "is_featured", "created_at"]
    search_fields = ["body", "question__title"]
    list_select_related = ["author", "question"]
    raw_id_fields = ["question"]
    exclude = ["body_html"]
    readonly_fields = [*ModeratedAdmin.readonly_fields, "is_featured", "featured_at", "featured_by"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["voter", "question", "answer", "value", "created_at"]
    raw_id_fields = ["voter", "question", "answer"]
    list_filter = ["value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["reason", "flagger", "question", "answer", "created_at", "resolved_at", "outcome"]
    list_filter = ["reason", "resolved_at"]
    raw_id_fields = ["flagger", "question", "answer"]


# --- Trust and safety -------------------------------------------------------------------------------------------


@admin.register(CrisisPhrase)
class CrisisPhraseAdmin(admin.ModelAdmin):
    """The crisis phrase list (forum.safety.crisis): moderators add, edit or switch off phrases here."""

    list_display = ["phrase", "is_active", "note", "created_at"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    search_fields = ["phrase"]

    def delete_queryset(self, request, queryset):

        super().delete_queryset(request, queryset)
        cache.delete(CRISIS_CACHE_KEY)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written through forum.moderation.actions / sanctions / appeals only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["member", "kind", "created_at", "ends_at", "lifted_at", "moderator"]
    list_filter = ["kind"]
    list_select_related = ["member", "moderator"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["member", "state", "created_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["member"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "editor", "question", "answer", "reason"]
    list_select_related = ["editor", "question", "answer__question"]
    raw_id_fields = ["question", "answer"]


from forum.search import admin as search_admin  # noqa: E402, F401  (registers the synonym list's admin)

"""Read-side queries for moderators: the review queue with diffs, the pending count shown in the header, the moderators, the audit log."""

from datetime import datetime, timedelta

from django.db.models import (
    Q,
)
from django.utils import timezone

from accounts.models import User
from community.audit.models import AuditEntry
from forum.models import Answer, Category, Question, Revision, Status
from forum.moderation.revisions import proposal_diff

# What a proposed edit's queue card shows (the queue page and its live insertions).
PROPOSAL_RELATED = ("editor", "category", "question__category", "answer__question__category")


def moderation_queue(*, kind: str = "", category: Category | None = None, limit: int = 100) -> list:
    """Pending items, urgent (crisis language) first, then oldest first; questions, answers and proposed
    edits of public posts merged."""

    items: list = []
    if kind in ("", "question"):
        qs = (
            Question.objects.pending_for_review()
            .select_related("author", "category")
            .prefetch_related("tags")
        )
        if category:
            qs = qs.filter(category=category)
        items += list(qs[:limit])
    if kind in ("", "answer"):
        qs = Answer.objects.pending_for_review().select_related("author", "question", "question__category")
        if category:
            qs = qs.filter(question__category=category)
        items += list(qs[:limit])
    if kind in ("", "edit"):
        qs = Revision.objects.pending_for_review().select_related(*PROPOSAL_RELATED)
        if category:
            qs = qs.filter(Q(question__category=category) | Q(answer__question__category=category))
        items += with_diffs(list(qs[:limit]))
    items.sort(key=lambda item: (not item.is_urgent, item.created_at, item.pk))  # crisis posts first
    return items[:limit]


def with_diffs(proposals: list[Revision]) -> list[Revision]:
    """Proposed edits with `diff`: what each changes in its post's approved text (forum.moderation.actions)."""

    for proposal in proposals:
        proposal.diff = proposal_diff(proposal)
    return proposals


def pending_count() -> int:
    return (
        Question.objects.filter(status=Status.PENDING).count()
        + Answer.objects.filter(status=Status.PENDING).count()
        + Revision.objects.pending_for_review().count()
    )


def moderators():
    """Active members with moderator powers (superusers, or forum.moderate through a group or directly)."""
    moderate = {"codename": "moderate", "content_type__app_label": "forum"}
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(**{f"groups__permissions__{k}": v for k, v in moderate.items()})
            | Q(**{f"user_permissions__{k}": v for k, v in moderate.items()})
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def audit_entries(*, action="", moderator=None, member="", since=None, until=None):
    """Audit entries, newest first, narrowed by every filter given (they combine): the action, who acted,
    the member concerned (part of their display name) and the days from `since` to `until` inclusive."""
    entries = AuditEntry.objects.select_related("actor", "subject", "target_type")
    if action:
        entries = entries.filter(action=action)
    if moderator is not None:
        entries = entries.filter(actor=moderator)
    if member:
        entries = entries.filter(subject__display_name__icontains=member, subject__is_deleted=False)
    if since:
        entries = entries.filter(created_at__gte=_start_of(since))
    if until:
        entries = entries.filter(created_at__lt=_start_of(until + timedelta(days=1)))
    return entries.order_by("-created_at", "-pk")


def _start_of(day):
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))

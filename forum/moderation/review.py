"""Moderators decide on what waits for review: approve or reject a pending question or answer, or an author's proposed edit of public content. The first moderator wins (community.claims); the status is written by forum.publication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community.audit import log as audit
from community.audit.models import AuditEntry
from community.claims import claim
from community.notifications.services import notify
from forum.live.announce import (
    announce_decided,
)
from forum.models import Answer, Revision, Status, is_moderator
from forum.posting.services import apply_edit, notify_asker_of_answer
from forum.publication import went_public


class AlreadyDecided(Exception):
    """Another moderator decided the item first."""

    def __init__(self, item):
        self.item = item
        if item.status == Revision.State.REPLACED:
            super().__init__("The author replaced this edit with a newer one; decide that one instead.")
            return
        who = item.decided_by.public_name if item.decided_by else "another moderator"
        super().__init__(f"Already {item.get_status_display().lower()} by {who}.")


def _decide(*, moderator, item, status: str, reason: str):
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can review content.")
    model = type(item)
    now = timezone.now()
    changes = {"status": status, "decided_by": moderator, "decided_at": now, "decision_reason": reason}
    if status == Status.APPROVED and not isinstance(item, Revision):
        changes["approved_at"] = now
    # Of two moderators deciding at once, exactly one claims the pending row.
    if not claim(model, item.pk, from_status=Status.PENDING, **changes):
        raise AlreadyDecided(model.objects.select_related("decided_by").get(pk=item.pk))
    item.refresh_from_db()
    return item


@transaction.atomic
def approve(*, moderator, item):
    """A moderator approves a pending question or answer: it becomes public, the author is told, the
    decision is audited, and open pages receive it live. Raises AlreadyDecided if someone was first."""
    if isinstance(item, Revision):
        return _approve_edit(moderator=moderator, proposal=item)
    item = _decide(moderator=moderator, item=item, status=Status.APPROVED, reason="")
    audit.record(actor=moderator, action=AuditEntry.Action.APPROVE, target=item, subject=item.author)
    went_public(item)
    announce_decided(item, moderator)
    kind_name = item.kind_name
    notify(
        item.author,
        "approved",
        f"Your {kind_name} “{item.short_title}” was approved.",
        item.get_absolute_url(),
        about=item,
    )
    if isinstance(item, Answer):
        notify_asker_of_answer(item)
    return item


@transaction.atomic
def reject(*, moderator, item, reason: str):
    """A moderator rejects a pending item with a reason the author sees. Raises AlreadyDecided if
    another moderator was first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the author a reason for the rejection."})
    item = _decide(moderator=moderator, item=item, status=Status.REJECTED, reason=reason)
    if isinstance(item, Revision):  # the post keeps its public text; the proposal is kept for the record
        post = item.post
        audit.record(
            actor=moderator,
            action=AuditEntry.Action.REJECT_EDIT,
            target=post,
            reason=reason,
            subject=item.author,
        )
        announce_decided(item, moderator)
        notify(
            item.author,
            "rejected",
            f"Your edit of your {post.kind_name} “{post.short_title}” was not approved: {reason}",
            post.get_absolute_url(),
            about=post,
        )
        return item
    audit.record(
        actor=moderator, action=AuditEntry.Action.REJECT, target=item, reason=reason, subject=item.author
    )
    announce_decided(item, moderator)
    kind_name = item.kind_name
    notify(
        item.author,
        "rejected",
        f"Your {kind_name} “{item.short_title}” was not approved: {reason}",
        item.get_absolute_url(),
        about=item,
    )
    return item


def _approve_edit(*, moderator, proposal: Revision) -> Revision:
    """`approve` for a proposed edit: the post (still public) takes the proposed text, with a kept revision
    of the text it replaces; open pages, search and lists follow; the author is told."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can review content.")
    post = proposal.post
    post = type(post).objects.select_for_update().get(pk=post.pk)
    if post.status != Status.APPROVED:
        raise ValidationError(
            f"This {post.kind_name} is no longer public (hidden or deleted): its edit cannot be applied now."
        )
    proposal = _decide(moderator=moderator, item=proposal, status=Status.APPROVED, reason="")
    apply_edit(
        post, editor=proposal.editor, reason=proposal.reason, body=proposal.body, title=proposal.title,
        category=proposal.category or getattr(post, "category", None), tags=proposal.tags,
    )  # fmt: skip
    audit.record(actor=moderator, action=AuditEntry.Action.APPROVE_EDIT, target=post, subject=proposal.author)
    announce_decided(proposal, moderator)
    notify(
        proposal.author,
        "approved",
        f"Your edit of your {post.kind_name} “{post.short_title}” was approved.",
        post.get_absolute_url(),
        about=post,
    )
    return proposal

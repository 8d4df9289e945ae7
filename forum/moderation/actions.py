"""Moderator tools on content: hide and unhide, soft delete and restore, lock and unlock a question, close
one as a duplicate of another and reopen it, decide on flagged items, and the revision history of edits.

Each action needs a reason, runs in a transaction, is recorded in the audit log with the author as subject,
tells the author (a notification linking to their moderation notices, where they can appeal) and sends the
live event that removes or restores the item on open pages. Open flags on the item are resolved with the
matching outcome, and their flaggers told.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community import page_cache
from community.audit import log as audit
from community.audit.models import AuditEntry
from community.live import events
from forum.models import Question, Status, is_moderator
from forum.moderation.flags import resolve_open_flags
from forum.permissions import require_moderator, require_reason
from forum.publication import set_status, tell_author


def _locked(item):
    return type(item).objects.select_for_update().select_related("author").get(pk=item.pk)


def _begin(moderator, item, reason: str):
    """Check the moderator and the reason, then lock the item's row for the change."""
    require_moderator(moderator)
    return _locked(item), require_reason(reason)


def _finish(*, moderator, item, status, previous_status, action, reason, message, flag_outcome=""):
    """Write a status change (forum.publication) and do what every one needs: audit, author, flags."""
    set_status(item, status, previous_status=previous_status)
    entry = audit.record(actor=moderator, action=action, target=item, reason=reason, subject=item.author)
    tell_author(item, entry, f"{message}: {reason}")
    if flag_outcome:
        resolve_open_flags(item=item, moderator=moderator, outcome=flag_outcome)
    return item


@transaction.atomic
def hide(*, moderator, item, reason: str):
    """Take an approved item out of public view (pages, lists, counts, search, feeds)."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.APPROVED:
        raise ValidationError("Only approved content can be hidden.")
    message = f"A moderator hid your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, status=Status.HIDDEN, previous_status=item.status, action=AuditEntry.Action.HIDE,
        reason=reason, message=message, flag_outcome="hidden",
    )  # fmt: skip


@transaction.atomic
def unhide(*, moderator, item, reason: str):
    """Make a hidden item (by a moderator or by flags) public again; open flags are dismissed."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.HIDDEN:
        raise ValidationError("This item is not hidden.")
    message = f"Your {item.kind_name} “{item.short_title}” is visible again"
    return _finish(
        moderator=moderator, item=item, status=Status.APPROVED, previous_status="", action=AuditEntry.Action.UNHIDE,
        reason=reason, message=message, flag_outcome="restored",
    )  # fmt: skip


@transaction.atomic
def soft_delete(*, moderator, item, reason: str):
    """Delete an item for everyone but moderators (its author included); it can be restored."""
    item, reason = _begin(moderator, item, reason)
    if item.status == Status.DELETED:
        raise ValidationError("This item is already deleted.")
    message = f"A moderator removed your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, status=Status.DELETED, previous_status=item.status, action=AuditEntry.Action.DELETE,
        reason=reason, message=message, flag_outcome="removed",
    )  # fmt: skip


@transaction.atomic
def restore(*, moderator, item, reason: str):
    """Undo a soft delete: the item returns to the state it had (approved items are public again)."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.DELETED:
        raise ValidationError("This item is not deleted.")
    message = f"A moderator restored your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, status=item.previous_status or Status.APPROVED, previous_status="",
        action=AuditEntry.Action.RESTORE, reason=reason, message=message,
    )  # fmt: skip


def _question_event(question: Question, type_: str) -> None:
    page_cache.question_changed(question.pk)  # locked or closed: the anonymous page says so
    events.publish(events.question_stream(question.pk), type_, {"question_id": question.pk})


def _set_locked(*, moderator, question: Question, reason: str, locked: bool) -> Question:
    question, reason = _begin(moderator, question, reason)
    question.is_locked = locked
    question.save(update_fields=["is_locked"])
    action = "lock" if locked else "unlock"
    entry = audit.record(
        actor=moderator, action=action, target=question, reason=reason, subject=question.author
    )
    if locked:
        message = f"A moderator locked your question “{question.short_title}”"
    else:
        message = f"Your question “{question.short_title}” takes answers again"
    tell_author(question, entry, f"{message}: {reason}")
    _question_event(question, f"question.{action}ed")
    return question


@transaction.atomic
def lock(*, moderator, question: Question, reason: str) -> Question:
    """A locked question stays readable but takes no new answers (services.answer refuses)."""
    return _set_locked(moderator=moderator, question=question, reason=reason, locked=True)


@transaction.atomic
def unlock(*, moderator, question: Question, reason: str) -> Question:
    return _set_locked(moderator=moderator, question=question, reason=reason, locked=False)


@transaction.atomic
def close_as_duplicate(*, moderator, question: Question, original: Question, reason: str) -> Question:
    """Close `question` as a duplicate of `original`: each page links to the other, and the duplicate
    takes no new answers."""
    require_moderator(moderator)
    reason = require_reason(reason)
    question = _locked(question)
    if original.pk == question.pk:
        raise ValidationError({"original": "A question cannot duplicate itself."})
    if original.status != Status.APPROVED:
        raise ValidationError({"original": "Point to a public question."})
    if original.duplicate_of_id:
        raise ValidationError(
            {"original": "That question is itself closed as a duplicate; use its original."}
        )
    question.duplicate_of, question.closed_at = original, timezone.now()
    question.save(update_fields=["duplicate_of", "closed_at"])
    Question.objects.filter(duplicate_of=question).update(duplicate_of=original)  # keep chains one step long
    entry = audit.record(
        actor=moderator,
        action=AuditEntry.Action.CLOSE_DUPLICATE,
        target=question,
        reason=reason,
        subject=question.author,
    )
    tell_author(
        question,
        entry,
        f"Your question “{question.short_title}” was closed as a duplicate of “{original.title}”.",
    )
    _question_event(question, "question.closed")
    return question


@transaction.atomic
def reopen(*, moderator, question: Question, reason: str) -> Question:
    require_moderator(moderator)
    reason = require_reason(reason)
    question = _locked(question)
    question.duplicate_of, question.closed_at = None, None
    question.save(update_fields=["duplicate_of", "closed_at"])
    entry = audit.record(
        actor=moderator,
        action=AuditEntry.Action.REOPEN,
        target=question,
        reason=reason,
        subject=question.author,
    )
    tell_author(question, entry, f"Your question “{question.short_title}” was reopened: {reason}")
    _question_event(question, "question.reopened")
    return question


FLAG_DECISIONS = {"restore", "keep_hidden", "remove"}


@transaction.atomic
def decide_flagged(*, moderator, item, decision: str, reason: str):
    """A moderator decides on a flagged item: restore (public again, flags dismissed), keep hidden, or
    remove (soft delete). The author and every flagger are told."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can review flags.")
    if decision not in FLAG_DECISIONS:
        raise ValidationError({"decision": "Choose restore, keep hidden or remove."})
    if decision == "remove":
        return soft_delete(moderator=moderator, item=item, reason=reason)
    if decision == "restore":
        if item.status == Status.HIDDEN:
            return unhide(moderator=moderator, item=item, reason=reason)
        reason = require_reason(reason)
        audit.record(
            actor=moderator,
            action=AuditEntry.Action.DISMISS_FLAGS,
            target=item,
            reason=reason,
            subject=item.author,
        )
        resolve_open_flags(item=item, moderator=moderator, outcome="dismissed")
        return item
    if item.status == Status.APPROVED:
        return hide(moderator=moderator, item=item, reason=reason)
    reason = require_reason(reason)
    entry = audit.record(
        actor=moderator, action=AuditEntry.Action.KEEP_HIDDEN, target=item, reason=reason, subject=item.author
    )
    tell_author(item, entry, f"After review, your post “{item.short_title}” stays hidden: {reason}")
    resolve_open_flags(item=item, moderator=moderator, outcome="hidden")
    return item

"""Moderator tools on content: hide and unhide, soft delete and restore, lock and unlock a question, close
one as a duplicate of another and reopen it, decide on flagged items, and the revision history of edits.

Each action needs a reason, runs in a transaction, is recorded in the audit log with the author as subject,
tells the author (a notification linking to their moderation notices, where they can appeal) and sends the
live event that removes or restores the item on open pages. Open flags on the item are resolved with the
matching outcome, and their flaggers told.
"""

import difflib
import itertools
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community import page_cache
from community.audit import log as audit
from community.live import events

from .flags import resolve_open_flags
from .models import Answer, Question, Revision, Status, is_moderator
from .permissions import require_moderator, require_reason
from .publication import set_status, tell_author


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
        moderator=moderator, item=item, status=Status.HIDDEN, previous_status=item.status, action="hide",
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
        moderator=moderator, item=item, status=Status.APPROVED, previous_status="", action="unhide",
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
        moderator=moderator, item=item, status=Status.DELETED, previous_status=item.status, action="delete",
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
        action="restore", reason=reason, message=message,
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
        actor=moderator, action="close_duplicate", target=question, reason=reason, subject=question.author
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
        actor=moderator, action="reopen", target=question, reason=reason, subject=question.author
    )
    tell_author(question, entry, f"Your question “{question.short_title}” was reopened: {reason}")
    _question_event(question, "question.reopened")
    return question


# --- Flagged items ------------------------------------------------------------------------------------------

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
        audit.record(actor=moderator, action="dismiss_flags", target=item, reason=reason, subject=item.author)
        resolve_open_flags(item=item, moderator=moderator, outcome="dismissed")
        return item
    if item.status == Status.APPROVED:
        return hide(moderator=moderator, item=item, reason=reason)
    reason = require_reason(reason)
    entry = audit.record(
        actor=moderator, action="keep_hidden", target=item, reason=reason, subject=item.author
    )
    tell_author(item, entry, f"After review, your post “{item.short_title}” stays hidden: {reason}")
    resolve_open_flags(item=item, moderator=moderator, outcome="hidden")
    return item


# --- Revisions ----------------------------------------------------------------------------------------------


def record_revision(*, item, editor, reason: str = "") -> Revision:
    """Keep the text of `item` as it was before an edit. Called by the edit services before they change it;
    `was_public` when that text was the approved version everyone saw (the public history lists those)."""
    old = (
        type(item)
        .objects.filter(pk=item.pk)
        .values("status", *(["title", "body"] if item.kind_name == "question" else ["body"]))
    )
    old = old.get()
    return Revision.objects.create(
        question=item if isinstance(item, Question) else None,
        answer=item if isinstance(item, Answer) else None,
        editor=editor if editor and editor.is_authenticated else None,
        title=old.get("title", ""),
        body=old["body"],
        reason=reason,
        was_public=old["status"] == Status.APPROVED,
    )


_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in equal/insert/delete: a word-level diff. Text stays raw: templates escape it."""
    a, b = _TOKEN_RE.findall(old or ""), _TOKEN_RE.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def revision_history(item) -> list[dict]:
    """Newest first: each kept revision with the diff from its text to the text that replaced it (for
    moderators: every edit, including those made while the post was not public)."""
    revisions = list(item.revisions.kept().select_related("editor").order_by("-created_at", "-pk"))
    history = []
    newer_title = getattr(item, "title", "") if isinstance(item, Question) else ""
    newer_body = item.body
    for revision in revisions:
        history.append(
            {
                "revision": revision,
                "title_diff": word_diff(revision.title, newer_title) if revision.title != newer_title else [],
                "body_diff": word_diff(revision.body, newer_body),
            }
        )
        newer_title, newer_body = revision.title, revision.body
    return history


def public_history(item) -> list[dict]:
    """The versions of a public post everyone has seen, newest first (the current one, then each earlier
    public text), each with the diff from the version before it. Proposed edits, and texts the post had
    while it was not public, never appear."""
    title = getattr(item, "title", "") if isinstance(item, Question) else ""
    versions = [
        {"title": title, "body": item.body, "at": item.edited_at or item.approved_at, "current": True}
    ]
    for revision in item.revisions.public_versions().order_by("-created_at", "-pk"):
        versions[-1]["at"] = revision.created_at  # the newer version replaced this one then
        versions.append({"title": revision.title, "body": revision.body, "at": None, "current": False})
    versions[-1]["at"] = item.approved_at
    for newer, older in itertools.pairwise(versions):
        newer["title_diff"] = (
            word_diff(older["title"], newer["title"]) if older["title"] != newer["title"] else []
        )
        newer["body_diff"] = word_diff(older["body"], newer["body"])
    return versions


def proposal_diff(proposal: Revision) -> dict:
    """What a proposed edit changes in its post's current (approved) text: title and body word diffs."""
    post = proposal.post
    title = getattr(post, "title", "") if isinstance(post, Question) else ""
    return {
        "title_diff": word_diff(title, proposal.title)
        if proposal.question_id and title != proposal.title
        else [],
        "body_diff": word_diff(post.body, proposal.body),
    }

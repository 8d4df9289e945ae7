"""Moderator tools on content: hide and unhide, soft delete and restore, lock and unlock a question, close
one as a duplicate of another and reopen it, and the revision history of edits.

Each action needs a reason, runs in a transaction, is recorded in the audit log with the author as subject,
tells the author (a notification linking to their moderation notices, where they can appeal) and sends the
live event that removes or restores the item on open pages. Open flags on the item are resolved with the
matching outcome, and their flaggers told.
"""

import difflib
import itertools
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import audit
from .models import Answer, Question, Revision, Status
from .notifications import notify
from .permissions import require_moderator, require_reason


def _tell_author(item, entry, text: str) -> None:
    notify(item.author, "moderation", text, reverse("forum:notices") + f"#notice-{entry.pk}")


def _locked(item):
    return type(item).objects.select_for_update().select_related("author").get(pk=item.pk)


def _after_status_change(item, was_public: bool) -> None:
    from . import services
    from .live import announce_withdrawn

    if isinstance(item, Answer):
        services.refresh_answer_count(item.question_id)
    if was_public and item.status != Status.APPROVED:
        announce_withdrawn(item)
    elif not was_public and item.status == Status.APPROVED:
        services._went_public(item)


def _resolve_flags(item, moderator, outcome: str) -> None:
    from .flags import resolve_open_flags

    resolve_open_flags(item=item, moderator=moderator, outcome=outcome)


def _begin(moderator, item, reason: str):
    """Check the moderator and the reason, then lock the item's row for the change."""
    require_moderator(moderator)
    return _locked(item), require_reason(reason)


def _finish(*, moderator, item, was_public: bool, action: str, reason: str, message: str, flag_outcome=""):
    """Save a status change and do what every one needs: counts, live event, audit, author, flags."""
    if item.status == Status.APPROVED and item.approved_at is None:
        item.approved_at = timezone.now()
    item.save(update_fields=["status", "previous_status", "approved_at"])
    _after_status_change(item, was_public=was_public)
    entry = audit.record(actor=moderator, action=action, target=item, reason=reason, subject=item.author)
    _tell_author(item, entry, f"{message}: {reason}")
    if flag_outcome:
        _resolve_flags(item, moderator, flag_outcome)
    return item


@transaction.atomic
def hide(*, moderator, item, reason: str):
    """Take an approved item out of public view (pages, lists, counts, search, feeds)."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.APPROVED:
        raise ValidationError("Only approved content can be hidden.")
    item.previous_status, item.status = item.status, Status.HIDDEN
    message = f"A moderator hid your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, was_public=True, action="hide", reason=reason, message=message,
        flag_outcome="hidden",
    )  # fmt: skip


@transaction.atomic
def unhide(*, moderator, item, reason: str):
    """Make a hidden item (by a moderator or by flags) public again; open flags are dismissed."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.HIDDEN:
        raise ValidationError("This item is not hidden.")
    item.status, item.previous_status = Status.APPROVED, ""
    message = f"Your {item.kind_name} “{item.short_title}” is visible again"
    return _finish(
        moderator=moderator, item=item, was_public=False, action="unhide", reason=reason, message=message,
        flag_outcome="restored",
    )  # fmt: skip


@transaction.atomic
def soft_delete(*, moderator, item, reason: str):
    """Delete an item for everyone but moderators (its author included); it can be restored."""
    item, reason = _begin(moderator, item, reason)
    if item.status == Status.DELETED:
        raise ValidationError("This item is already deleted.")
    was_public = item.status == Status.APPROVED
    item.previous_status, item.status = item.status, Status.DELETED
    message = f"A moderator removed your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, was_public=was_public, action="delete", reason=reason, message=message,
        flag_outcome="removed",
    )  # fmt: skip


@transaction.atomic
def restore(*, moderator, item, reason: str):
    """Undo a soft delete: the item returns to the state it had (approved items are public again)."""
    item, reason = _begin(moderator, item, reason)
    if item.status != Status.DELETED:
        raise ValidationError("This item is not deleted.")
    item.status, item.previous_status = item.previous_status or Status.APPROVED, ""
    message = f"A moderator restored your {item.kind_name} “{item.short_title}”"
    return _finish(
        moderator=moderator, item=item, was_public=False, action="restore", reason=reason, message=message
    )


def _question_event(question: Question, type_: str) -> None:
    from . import events, page_cache

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
    _tell_author(question, entry, f"{message}: {reason}")
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
    _tell_author(
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
    _tell_author(question, entry, f"Your question “{question.short_title}” was reopened: {reason}")
    _question_event(question, "question.reopened")
    return question


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

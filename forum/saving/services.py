"""Saving and removing posts, and a member's notes on them. Private to the member: no audit entry, no
notification, no live event, and no page version changes (no shared page shows what anyone saved)."""

from django.db import IntegrityError, transaction

from accounts.privacy import iso
from forum.saving.models import Saved
from forum.saving.selectors import is_available

MAX_SAVED = 2000  # per member: plenty for a person, a bound for a script

NOT_AVAILABLE = "This post can't be saved: only posts everyone can see, and your own, can be saved."
TOO_MANY = f"You have saved {MAX_SAVED} posts, the most one member can keep. Remove some to save more."


class SaveRefused(Exception):
    """Why a save was refused, in words for the member."""


def _target(post) -> dict:
    return {"answer": post} if post.kind_name == "answer" else {"question": post}


def save(*, member, post) -> Saved:
    """Save `post` for `member` (the one they already saved, if so). Refused (SaveRefused) for a post they may
    not save: not public and not their own (whether it exists or not, the same words)."""
    if post is None or not is_available(member, post):
        raise SaveRefused(NOT_AVAILABLE)
    existing = Saved.objects.filter(member=member, **_target(post)).first()
    if existing is not None:
        return existing
    if Saved.objects.filter(member=member).count() >= MAX_SAVED:
        raise SaveRefused(TOO_MANY)
    try:
        with transaction.atomic():
            return Saved.objects.create(member=member, **_target(post))
    except IntegrityError:  # the same post saved by a second click at the same moment
        return Saved.objects.get(member=member, **_target(post))


def unsave(*, member, post) -> None:
    """Remove `post` from the member's saved posts (nothing when it was not saved)."""
    Saved.objects.filter(member=member, **_target(post)).delete()


def set_note(*, item: Saved, note: str) -> Saved:
    """Replace the note of one of the member's saved posts (the view found it among their own)."""
    item.note = note
    item.save(update_fields=["note"])
    return item


def remove(*, item: Saved) -> None:
    item.delete()


def export(user) -> list[dict]:
    """The member's saved posts and notes, for their data download (accounts.privacy)."""
    return [
        {"on": s.kind, "id": s.question_id or s.answer_id, "note": s.note, "saved_at": iso(s.created_at)}
        for s in Saved.objects.filter(member=user).order_by("id")
    ]


def erase(user) -> None:
    """Deleting an account erases what the member saved and their notes."""
    Saved.objects.filter(member=user).delete()

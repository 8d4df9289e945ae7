"""Spam signals for new members' posts: many links, or repeated text (within the post or copied from their
own recent posts). A signal never rejects anything: it sends the post to the moderation queue with a note."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from forum.models import Answer, Question

LINK_RE = re.compile(r"(?i)\bhttps?://|\bwww\.[a-z0-9-]+\.")


def is_new_member(user) -> bool:
    joined = getattr(user, "date_joined", None)
    return joined is None or timezone.now() - joined < timedelta(days=settings.FORUM_NEW_MEMBER_DAYS)


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())


def has_repeated_lines(text: str, times: int = 3) -> bool:
    """The same non-trivial line or sentence appears `times` times or more."""
    pieces = [_normalise(p) for p in re.split(r"[\n.!?]+", text or "")]
    counts: dict[str, int] = {}
    for piece in pieces:
        if len(piece) >= 12:
            counts[piece] = counts.get(piece, 0) + 1
            if counts[piece] >= times:
                return True
    return False


def repeats_recent_post(author, body: str, exclude=None) -> bool:
    """The author posted the same body (ignoring case and punctuation) in the last week."""

    wanted = _normalise(body)
    if len(wanted) < 20:
        return False
    since = timezone.now() - timedelta(days=7)
    for model in (Question, Answer):
        recent = model.objects.filter(author=author, created_at__gte=since)
        if exclude is not None and isinstance(exclude, model):
            recent = recent.exclude(pk=exclude.pk)
        for text in recent.order_by("-created_at").values_list("body", flat=True)[:20]:
            if _normalise(text) == wanted:
                return True
    return False


def signals(author, text: str, *, body: str = "", exclude=None) -> list[str]:
    """Notes for moderators about a new member's post; empty for established members."""
    if not is_new_member(author):
        return []
    notes = []
    links = count_links(text)
    if links >= settings.FORUM_SPAM_MAX_LINKS:
        notes.append(f"New member, {links} links")
    if has_repeated_lines(text):
        notes.append("New member, repeated text within the post")
    elif repeats_recent_post(author, body or text, exclude=exclude):
        notes.append("New member, same text as one of their recent posts")
    return notes

"""Members flag questions and answers; enough distinct flags from members with standing hide an item until a
moderator decides.

One flag per member per item (the database guarantees it), never on your own post, only on public content.
When an item's open flags reach FORUM_FLAGS_TO_HIDE and that many of its flaggers have standing
(`with_standing`), it is hidden at once (status hidden, out of every public page, list, count, search and
feed) and waits in the moderators' "Flagged" queue. A verified expert's post, or one whose flaggers lack
standing, is never hidden by flags: it stays up and heads the queue as urgent, so a few throwaway accounts
cannot take down good advice. A moderator then restores it, keeps it hidden or removes it
(`moderation.decide_flagged`); every flagger is told the outcome.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community.audit import log as audit
from community.audit.models import AuditEntry
from community.notifications.services import notify
from forum.live.announce import announce_flagged
from forum.models import Flag, Sanction, Status
from forum.moderation.sanctions import ensure_can_participate
from forum.publication import set_status, tell_author

OUTCOME_TEXT = {
    "restored": "a moderator reviewed it and it stays up",
    "dismissed": "a moderator reviewed it and it stays up",
    "hidden": "a moderator reviewed it and it is now hidden",
    "removed": "a moderator reviewed it and removed it",
}


def _target_filter(item) -> dict:
    return {item.kind_name: item}


def with_standing(flags):
    """The one rule for whose flags can hide a post: `flags` (a Flag queryset) narrowed to flaggers whose
    account is at least FORUM_NEW_MEMBER_DAYS old and who are not suspended or banned now."""
    joined_before = timezone.now() - timedelta(days=settings.FORUM_NEW_MEMBER_DAYS)
    restricted = Sanction.objects.in_force().values("member")
    return flags.filter(flagger__date_joined__lte=joined_before).exclude(flagger__in=restricted)


def _flags_can_hide(item) -> bool:
    """Flags hide `item` only when it is not a verified expert's and enough flaggers have standing."""
    if item.author.active_expert:
        return False
    open_flags = Flag.objects.filter(resolved_at__isnull=True, **_target_filter(item))
    return with_standing(open_flags).values("flagger").distinct().count() >= settings.FORUM_FLAGS_TO_HIDE


@transaction.atomic
def flag(*, flagger, item, reason: str, text: str = "") -> Flag:
    """A member flags a public question or answer. Refuses a second flag by the same member, a flag on
    one's own post, and members who are suspended or banned. When its open flags reach FORUM_FLAGS_TO_HIDE
    the item is hidden (audited as the system, the author told) if `_flags_can_hide`, else it stays up and
    is urgent for the moderators. Moderators see it live ("queue.flagged")."""
    if flagger is None or not flagger.is_authenticated:
        raise PermissionDenied("Log in to flag.")
    ensure_can_participate(flagger)
    item = type(item).objects.select_for_update().select_related("author").get(pk=item.pk)
    if item.author_id == flagger.pk:
        raise PermissionDenied("You cannot flag your own post.")
    visible = type(item).objects.visible_to(None).filter(pk=item.pk).exists()
    if not visible and item.status != Status.HIDDEN:
        raise PermissionDenied("Only public posts can be flagged.")
    text = (text or "").strip()
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": "Choose a reason."})
    if reason == Flag.Reason.OTHER and not text:
        raise ValidationError({"text": "Tell the moderators what is wrong."})
    if Flag.objects.filter(flagger=flagger, **_target_filter(item)).exists():
        raise ValidationError("You have already flagged this post. Moderators will look at it.")
    row = Flag(flagger=flagger, reason=reason, text=text, **_target_filter(item))
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a double click racing the check above
        raise ValidationError("You have already flagged this post. Moderators will look at it.") from exc
    open_flags = (
        Flag.objects.filter(resolved_at__isnull=True, **_target_filter(item))
        .values("flagger")
        .distinct()
        .count()
    )
    hidden = urgent = False
    if open_flags >= settings.FORUM_FLAGS_TO_HIDE and item.status == Status.APPROVED:
        if _flags_can_hide(item):
            _hide_by_flags(item, open_flags)
            hidden = True
        else:
            urgent = True
    announce_flagged(item, open_flags=open_flags, hidden=hidden, urgent=urgent)
    return row


def _hide_by_flags(item, count: int) -> None:
    set_status(item, Status.HIDDEN, previous_status=Status.APPROVED)
    reason = f"Hidden automatically after {count} members flagged it; a moderator will review it."
    entry = audit.record(
        actor=None, action=AuditEntry.Action.AUTO_HIDE, target=item, reason=reason, subject=item.author
    )
    tell_author(
        item,
        entry,
        f"Your {item.kind_name} “{item.short_title}” is hidden while a moderator reviews members' flags.",
    )


def resolve_open_flags(*, item, moderator, outcome: str) -> int:
    """Close the item's open flags with `outcome` and tell each flagger (called inside a transaction)."""
    open_flags = list(
        Flag.objects.filter(resolved_at__isnull=True, **_target_filter(item)).select_related("flagger")
    )
    if not open_flags:
        return 0
    Flag.objects.filter(pk__in=[f.pk for f in open_flags]).update(resolved_at=timezone.now(), outcome=outcome)
    text = f"Thank you for flagging “{item.short_title}”: {OUTCOME_TEXT.get(outcome, outcome)}."
    for row in open_flags:
        notify(row.flagger, "moderation", text[:300], reverse("forum:notices"))
    return len(open_flags)


# --- Reads ----------------------------------------------------------------------------------------------------


@dataclass
class FlaggedItem:
    item: object
    flags: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.item.kind_name

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for f in self.flags:
            counts[f.get_reason_display()] = counts.get(f.get_reason_display(), 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])

    @property
    def latest(self):
        return max(f.created_at for f in self.flags)

    @property
    def urgent(self) -> bool:
        """Flagged by enough members but still public: the flags could not hide it (a verified expert's
        post, or flaggers without standing), so a moderator must look first."""
        flaggers = {f.flagger_id for f in self.flags}
        return self.item.status == Status.APPROVED and len(flaggers) >= settings.FORUM_FLAGS_TO_HIDE


def flagged_items(limit: int = 100) -> list[FlaggedItem]:
    """Items with open flags, one entry per item with its flags; urgent items first, then hidden ones, then
    the most flagged."""
    rows = list(
        Flag.objects.filter(resolved_at__isnull=True)
        .select_related(
            "flagger",
            "question__author__expert_credential",  # an urgent entry says whether it is an expert's
            "question__category",
            "answer__author__expert_credential",
            "answer__question__category",
        )
        .order_by("created_at")[: limit * 10]
    )
    grouped: dict[tuple[str, int], FlaggedItem] = {}
    for row in rows:
        item = row.question or row.answer
        key = ("question" if row.question_id else "answer", item.pk)
        grouped.setdefault(key, FlaggedItem(item=item)).flags.append(row)
    items = list(grouped.values())
    items.sort(key=lambda g: (not g.urgent, g.item.status != Status.HIDDEN, -len(g.flags), g.latest))
    return items[:limit]


def flags_for(item) -> list[Flag]:
    return list(Flag.objects.filter(**_target_filter(item)).select_related("flagger").order_by("-created_at"))


__all__ = ["flag", "flagged_items", "resolve_open_flags"]

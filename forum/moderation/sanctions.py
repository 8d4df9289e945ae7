"""Warnings, suspensions and bans: who may take part, and the moderator actions that decide it.

`ensure_can_participate(user)` is called by every service that lets a member write (ask, answer, vote,
flag, edit); a suspended or banned member gets `MemberRestricted`, a PermissionDenied that carries the
reason and the end date, which the 403 page shows (forum.safety.views.permission_denied).
"""

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from community.audit import log as audit
from community.audit.models import AuditEntry
from community.notifications.services import notify
from forum.models import Sanction
from forum.permissions import require_moderator, require_reason
from forum.publication import hide_all_by

SHOWN_RESTRICTION_SECONDS = 300


class MemberRestricted(PermissionDenied):
    def __init__(self, sanction: Sanction):
        self.sanction = sanction
        if sanction.kind == Sanction.Kind.BAN:
            text = "Your account is banned from taking part"
        else:
            text = f"Your account is suspended until {sanction.ends_at:%-d %B %Y, %H:%M} UTC"
        # The reason stays out of the message: exception messages reach the logs (forum.moderation.sanctions' page
        # and the moderation notices show it to the member).
        super().__init__(f"{text}. See your moderation notices for the reason and how to appeal.")


def restriction_for(user) -> Sanction | None:
    """The suspension or ban in force for `user` that ends last (a ban first), or None."""
    if user is None or not user.is_authenticated:
        return None
    return strongest(list(Sanction.objects.in_force().filter(member=user)))


def shown_restriction(user) -> Sanction | None:
    """`restriction_for` for what pages show (the answer form or the notice instead): kept in the cache
    for a few minutes and dropped whenever one of the member's sanctions is saved or deleted (forum.apps).
    Services enforce sanctions with `ensure_can_participate`, which always reads the database."""
    if user is None or not user.is_authenticated:
        return None
    # A question page asks up to three times (its answers' Flag forms, the question's, the answer form):
    # one cache round trip per request's user object, which lives no longer than the request.
    if SHOWN_ON_USER in user.__dict__:
        return user.__dict__[SHOWN_ON_USER]
    key = f"sanction:{user.pk}"
    cached = cache.get(key)
    if isinstance(cached, tuple):
        sanction = cached[0]
        if sanction is None or sanction.ends_at is None or sanction.ends_at > timezone.now():
            user.__dict__[SHOWN_ON_USER] = sanction
            return sanction
    sanction = restriction_for(user)
    cache.set(key, (sanction,), SHOWN_RESTRICTION_SECONDS)
    user.__dict__[SHOWN_ON_USER] = sanction
    return sanction


SHOWN_ON_USER = "_shown_restriction"


def sanction_changed(instance, **_kwargs) -> None:
    """A signal receiver (forum.apps): the member's shown restriction is read again."""
    cache.delete(f"sanction:{instance.member_id}")


def strongest(in_force: list[Sanction]) -> Sanction | None:
    """Of one member's sanctions in force, the one that decides: a ban, else the suspension ending last."""
    if not in_force:
        return None
    bans = [s for s in in_force if s.kind == Sanction.Kind.BAN]
    return bans[0] if bans else max(in_force, key=lambda s: s.ends_at)


def ensure_can_participate(user) -> None:
    sanction = restriction_for(user)
    if sanction is not None:
        raise MemberRestricted(sanction)


@transaction.atomic
def sanction(*, moderator, member, kind: str, reason: str, days: int | None = None, hide_content=False):
    """A moderator warns, suspends (for `days`) or bans a member, with a reason the member sees. Suspended
    and banned members cannot post, answer, vote or flag; `hide_content` hides everything they published.
    Audited, and the member is notified with a link to appeal."""
    require_moderator(moderator)
    reason = require_reason(reason, audience="the member")
    if kind not in Sanction.Kind.values:
        raise ValidationError({"kind": "Choose warn, suspend or ban."})
    if member.pk == moderator.pk or member.is_moderator:  # the role, TOTP or not
        raise PermissionDenied("Moderators cannot be sanctioned here; ask an administrator.")
    ends_at = None
    if kind == Sanction.Kind.SUSPEND:
        if not days or days < 1 or days > 365:
            raise ValidationError({"days": "Suspend for 1 to 365 days."})
        ends_at = timezone.now() + timedelta(days=days)
    hide_content = bool(hide_content) and kind != Sanction.Kind.WARN
    row = Sanction.objects.create(
        member=member,
        kind=kind,
        reason=reason,
        moderator=moderator,
        ends_at=ends_at,
        hide_content=hide_content,
    )
    hidden = hide_all_by(member) if hide_content else 0
    label = {"warn": "warning", "suspend": "suspension", "ban": "ban"}[kind]
    detail = f" until {ends_at:%-d %B %Y}" if ends_at else ""
    audit_reason = reason + (
        ngettext(" (%(n)d item hidden)", " (%(n)d items hidden)", hidden) % {"n": hidden} if hidden else ""
    )
    entry = audit.record(actor=moderator, action=kind, target=member, reason=audit_reason, subject=member)
    notify(member, "moderation", f"A moderator issued a {label}{detail}: {reason}", _notices_url(entry))
    return row


@transaction.atomic
def lift(*, moderator, sanction_row: Sanction, reason: str) -> Sanction:
    """A moderator ends a suspension or ban early (hidden content stays hidden until restored one by one)."""
    require_moderator(moderator)
    reason = require_reason(reason, audience="the member")
    if sanction_row.lifted_at:
        return sanction_row
    sanction_row.lifted_at, sanction_row.lifted_by = timezone.now(), moderator
    sanction_row.save(update_fields=["lifted_at", "lifted_by"])
    member = sanction_row.member
    entry = audit.record(
        actor=moderator, action=AuditEntry.Action.LIFT, target=member, reason=reason, subject=member
    )
    notify(
        member,
        "moderation",
        f"Your {sanction_row.get_kind_display().lower()} was lifted: {reason}",
        _notices_url(entry),
    )
    return sanction_row


def _notices_url(entry) -> str:
    return reverse("forum:notices") + f"#notice-{entry.pk}"

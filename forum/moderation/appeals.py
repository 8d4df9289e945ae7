"""Appeals: a member answers a moderation action concerning them with a thread to the moderators.

A member may open one appeal per action (the database guarantees one open appeal per action); both sides
write messages; a moderator closes it with a last message. Moderators see open appeals on their own page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.audit import log as audit
from community.audit.models import AuditEntry
from community.live import events
from community.notifications.services import notify
from forum.models import Appeal, AppealMessage, is_moderator


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message to the moderators."})
    if len(body) > 4000:
        raise ValidationError({"body": "Keep it under 4000 characters."})
    return body


def notices_for(member):
    """Moderation actions that concern `member`, newest first (what the notices page lists)."""
    return (
        AuditEntry.objects.filter(subject=member)
        .exclude(action__in=["approve"])
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def open_appeal(*, member, entry: AuditEntry, body: str) -> Appeal:
    """`member` appeals an action recorded with them as its subject."""
    if member is None or not member.is_authenticated or entry.subject_id != member.pk:
        raise PermissionDenied("You can only appeal actions that concern you.")
    body = _clean_body(body)
    existing = Appeal.objects.filter(member=member, entry=entry, state=Appeal.State.OPEN).first()
    if existing:
        raise ValidationError("You already have an open appeal about this action.")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(member=member, entry=entry)
    except IntegrityError as exc:
        raise ValidationError("You already have an open appeal about this action.") from exc
    AppealMessage.objects.create(appeal=appeal, author=member, body=body)

    events.publish(events.MODERATION_STREAM, "appeal.new", {"id": appeal.pk})
    return appeal


def can_view(user, appeal: Appeal) -> bool:
    return bool(user and user.is_authenticated and (appeal.member_id == user.pk or is_moderator(user)))


@transaction.atomic
def reply(*, author, appeal: Appeal, body: str) -> AppealMessage:
    if not can_view(author, appeal):
        raise PermissionDenied("This appeal is not yours.")
    if appeal.state != Appeal.State.OPEN:
        raise ValidationError("This appeal is closed.")
    body = _clean_body(body)
    from_moderator = is_moderator(author) and author.pk != appeal.member_id
    message = AppealMessage.objects.create(
        appeal=appeal, author=author, body=body, from_moderator=from_moderator
    )
    if from_moderator:
        notify(appeal.member, "moderation", "A moderator replied to your appeal.", appeal.get_absolute_url())
    return message


@transaction.atomic
def close(*, moderator, appeal: Appeal, body: str) -> Appeal:
    """A moderator closes an appeal with a last message the member sees."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can close appeals.")
    body = _clean_body(body)
    if appeal.state == Appeal.State.CLOSED:
        return appeal
    AppealMessage.objects.create(appeal=appeal, author=moderator, body=body, from_moderator=True)
    appeal.state, appeal.closed_at, appeal.closed_by = Appeal.State.CLOSED, timezone.now(), moderator
    appeal.save(update_fields=["state", "closed_at", "closed_by"])
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.CLOSE_APPEAL,
        target=appeal,
        reason=body,
        subject=appeal.member,
    )
    notify(appeal.member, "moderation", f"Your appeal was answered: {body}", appeal.get_absolute_url())
    return appeal


def open_appeals():
    return (
        Appeal.objects.filter(state=Appeal.State.OPEN)
        .select_related("member", "entry")
        .order_by("created_at")
    )

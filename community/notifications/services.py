"""Member notifications: stored for the notification centre, sent live on the member's own stream
(`user.<id>`), and emailed for the important kinds when the member's preferences say so.

Emails are written to the outbox in the change's transaction and sent by a task after the commit
(community.mail), one per notification however often that task runs. They carry no health content beyond
the question's title (no post text, no rejection reason: the member reads those on the site, logged in).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.live import events
from community.mail.outbox import queue_email
from community.notifications.models import Notification, NotificationPreference
from community.site import absolute_url

log = logging.getLogger(__name__)

EMAIL_KINDS = {
    Notification.Kind.EXPERT_ANSWERED,
    Notification.Kind.APPROVED,
    Notification.Kind.REJECTED,
    Notification.Kind.ANSWERED,
    Notification.Kind.EXPERT_QUESTION,
}


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


UNREAD_SECONDS = 300


def cached_unread_count(user_id: int) -> int:
    """The header's unread count, kept in the cache until one of the member's notifications is created or
    read (`_unread_changed`). Every page shows it, so it was a query on every member's page."""
    return cache.get_or_set(
        f"unread:{user_id}",
        lambda: Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count(),
        UNREAD_SECONDS,
    )


def _unread_changed(user_id: int) -> None:
    """Dropped at once and again after the commit (a request in between may have cached the old count),
    before the change's event gets its sequence (hooks run in the order they were added), so a page that
    read the event's sequence reads the new count too (forum.context_processors)."""
    key = f"unread:{user_id}"
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _unread_data(user_id: int):
    def read() -> dict:
        return {"unread": Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()}

    return read


def notify(recipient, kind: str, text: str, url: str = "", *, about=None, actor=None) -> Notification | None:
    """Store a notification for `recipient`, show it live on their open pages (with their unread count),
    and email it after the commit if it is an important kind they want by email. `about` (a question or
    answer) gives the email its question title; `actor` (who did it) its name."""
    if recipient is None or not recipient.is_active:
        return None
    notification = Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url)
    _unread_changed(recipient.pk)
    events.publish(
        events.user_stream(recipient.pk),
        "notification",
        {"id": notification.pk, "kind": kind, "text": notification.text, "url": url},
        html=render_to_string(
            "notifications/_notification.html", {"notification": notification, "live": True}
        ),
        late_data=_unread_data(recipient.pk),
    )
    if kind in EMAIL_KINDS and _wants_email(recipient, kind):
        title = _question_title(about)
        actor_name = actor.public_name if actor is not None else ""
        _queue_email(recipient, notification, title, actor_name)
    return notification


def _wants_email(user, kind: str) -> bool:
    if getattr(user, "is_deleted", False) or not user.email:
        return False
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    return preference.wants_email(kind)


def _question_title(about) -> str:
    if about is None:
        return ""
    return about.question_title


def _queue_email(recipient, notification: Notification, title: str, actor_name: str = "") -> None:
    context = {
        "actor": actor_name,
        "notification": notification,
        "kind": notification.kind,
        "title": title,
        "link": absolute_url(notification.url or "/"),
        "preferences_link": absolute_url(reverse("notifications:preferences")),
        "site_name": settings.SITE_NAME,
        "name": recipient.public_name,
    }
    subject = " ".join(render_to_string("notifications/email/notification_subject.txt", context).split())
    body = render_to_string("notifications/email/notification_body.txt", context)
    message = EmailMessage(f"[{settings.SITE_NAME}] {subject}", body, None, [recipient.email])
    queue_email(message, key=f"notification:{notification.pk}")


# --- Reading ------------------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of `user`'s notifications read (someone else's is simply not found). Their other open
    pages follow live ("notifications.read")."""
    changed = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _announce_read(user, [notification_id])
    return bool(changed)


@transaction.atomic
def mark_read_on_opening(*, user, question) -> int:
    """`user` opened `question`'s page: the unread notifications that point to it (the question or one of
    its answers) are read now, and their open pages follow live. No query when the cached unread count is
    zero (the page's header reads that count anyway)."""
    if not user.is_authenticated or not cached_unread_count(user.pk):
        return 0
    unread = Notification.objects.filter(
        recipient=user,
        read_at__isnull=True,
        url__startswith=reverse("forum:question_short", args=[question.pk]),
    )
    ids = list(unread.values_list("pk", flat=True))
    if ids:
        Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
        _announce_read(user, ids)
    return len(ids)


@transaction.atomic
def mark_all_read(*, user) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True)[:1000])
    changed = unread.update(read_at=timezone.now())
    if changed:
        _announce_read(user, ids, everything=True)
    return changed


def _announce_read(user, ids: list[int], everything: bool = False) -> None:
    _unread_changed(user.pk)
    events.publish(
        events.user_stream(user.pk),
        "notifications.read",
        {"ids": ids, "all": everything},
        late_data=_unread_data(user.pk),
    )

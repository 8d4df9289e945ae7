"""Member notifications: stored for the notification centre and sent live on the member's stream."""

from . import events
from .models import Notification


def notify(recipient, kind: str, text: str, url: str = "") -> Notification | None:
    if recipient is None or not recipient.is_active:
        return None
    notification = Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url)
    events.publish(
        events.user_stream(recipient.pk),
        "notification",
        {"id": notification.pk, "kind": kind, "text": notification.text, "url": url},
    )
    return notification

"""Queue an email: `queue_email(message)` writes the outbox row (community.mail.models) in the caller's
transaction and enqueues the send task (community.mail.tasks.send_email) after the commit: every email the
site sends, ours and allauth's, goes this way."""

from community.celery import enqueue_on_commit
from community.mail import tasks
from community.mail.models import OutboundEmail


def queue_email(message, *, key: str | None = None) -> OutboundEmail | None:
    """Write `message` (a django.core.mail.EmailMessage) to the outbox in the caller's transaction and send
    it after the commit. With `key`, an email already queued under that key is not queued again (None)."""
    if message.attachments:
        raise ValueError("The outbox carries no attachments.")
    parts = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "content_subtype": message.content_subtype,
    }
    if key is None:
        email = OutboundEmail.objects.create(message=parts)
    else:
        email, created = OutboundEmail.objects.get_or_create(key=key, defaults={"message": parts})
        if not created:
            return None
    enqueue_on_commit(tasks.send_email, email.pk)
    return email


def forget_unsent_to(address: str) -> int:
    """Delete the emails still waiting for `address` (an account being erased: nothing more goes to it).
    Waiting emails are few (sent ones keep no address), so they are read rather than matched in SQL, which
    SQLite's JSON support cannot do for a list."""
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True).values_list("pk", "message")
    ids = [pk for pk, message in waiting.iterator() if address in message.get("to", [])]
    return OutboundEmail.objects.filter(pk__in=ids).delete()[0]

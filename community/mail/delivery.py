"""Deliver one outbox email, once: what community.mail.tasks.send_email does.

Claim the row for a lease (one conditional UPDATE, community.claims, so of two workers given the same
message one sends), send, mark it sent and erase its content. A worker that dies after claiming leaves the
lease to run out; the message Redis then gives to the next worker claims it again. The one case that can
still send twice is a worker killed in the instant between the SMTP server's accepting the message and the
row's being marked sent (SMTP has no way to ask "did you get it?").
"""

import logging
import smtplib
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import OperationalError
from django.db.models import F, Q
from django.utils import timezone

from community.claims import claim
from community.mail.models import OutboundEmail

log = logging.getLogger(__name__)


class TransientMailError(Exception):
    """The mail server could not take the message now (disconnected, timed out, 4xx): try again later.
    Carries only the original exception's type name, so no address reaches a log."""


# Refused recipients or sender will be refused again: retrying cannot help.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)  # OSError: refused connection, timeout, DNS
MARK_SENT_ATTEMPTS = 5


def _message(parts: dict, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=parts["subject"],
        body=parts["body"],
        from_email=parts["from_email"],
        to=parts["to"],
        cc=parts["cc"],
        bcc=parts["bcc"],
        reply_to=parts["reply_to"],
        headers=parts["headers"],
        connection=connection,
    )
    for content, mimetype in parts["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.content_subtype = parts["content_subtype"]
    return message


@dataclass
class Delivery:
    outcome: str  # "sent", "done" (sent before, or gone), "busy" (another worker holds it), "failed"
    wait_seconds: float = 0


def deliver(email_id: int) -> Delivery:
    """Send outbox row `email_id` unless it was sent already. Raises TransientMailError when the mail server
    (or the database, after the claim) fails in a way worth retrying (the row is released for the retry)."""
    now = timezone.now()
    lease = timedelta(seconds=settings.MAIL_OUTBOX_LEASE_SECONDS)
    claimable = OutboundEmail.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if not claim(claimable, email_id, claimed_until=now + lease, attempts=F("attempts") + 1):
        held = OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True).values("claimed_until").first()
        if held is None:
            return Delivery("done")
        # Another worker is sending it now; if that worker dies, this retry takes over when its lease ends.
        return Delivery("busy", max(1.0, (held["claimed_until"] - now).total_seconds() + 1))
    rows = OutboundEmail.objects.filter(pk=email_id)
    try:
        email = rows.get()
        with get_connection() as connection:
            _message(email.message, connection).send()
    except PERMANENT_ERRORS as exc:
        rows.update(claimed_until=None, failed_at=timezone.now(), last_error=type(exc).__name__)
        log.warning("Email #%s refused by the mail server (%s); not retried", email_id, type(exc).__name__)
        return Delivery("failed")
    except (*TRANSIENT_ERRORS, OperationalError) as exc:
        # Released for the retry (if the database lets us; else the lease runs out).
        with suppress(OperationalError):
            rows.update(claimed_until=None, last_error=type(exc).__name__)
        raise TransientMailError(type(exc).__name__) from None
    _mark_sent(rows)
    return Delivery("sent")


def _mark_sent(rows) -> None:
    """The email is out: recording it is what keeps it from going twice, so a database hiccup here is
    tried again for a few seconds before it is given up (the lease then runs out and it may go again)."""
    for attempt in range(MARK_SENT_ATTEMPTS):
        try:
            rows.update(sent_at=timezone.now(), claimed_until=None, message={}, last_error="")
            return
        except OperationalError:
            if attempt == MARK_SENT_ATTEMPTS - 1:
                raise
            time.sleep(1)


def give_up(email_id: int) -> None:
    """Retries ran out: keep the row (the periodic sweep tries it again later), marked for operators."""
    OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(failed_at=timezone.now())
    log.warning("Email #%s not sent after retries; the sweep will try again", email_id)


def pending_ids(older_than: timedelta, limit: int = 1000) -> list[int]:
    """Unsent emails whose task was lost (broker down at the commit) or gave up: nobody holds them."""
    now = timezone.now()
    return list(
        OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=now - older_than)
        .exclude(failed_at__isnull=False, last_error__in=[e.__name__ for e in PERMANENT_ERRORS])
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def purge_sent(older_than: timedelta) -> int:
    deleted, _ = OutboundEmail.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted

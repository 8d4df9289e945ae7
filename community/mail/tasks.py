"""Celery tasks of the outbox: send one email (used by every email the site sends), and the periodic sweep
and purge (CELERY_BEAT_SCHEDULE)."""

import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from community.celery import enqueue
from community.mail import delivery

# Retries with doubling delays (30 s, 1 min, 2 min, ... at most an hour) cover a mail server that is down
# for most of a day; after that the sweep keeps trying.
MAX_RETRIES = 10
MAX_DELAY_SECONDS = 3600
# In-process (no broker) retries run at once: Celery's eager mode ignores the countdown. A short pause
# instead, on the task thread, which no request waits for.
IN_PROCESS_MAX_PAUSE_SECONDS = 5


def retry_delay(retries: int) -> int:
    """Seconds before retry number `retries` + 1."""
    return min(settings.MAIL_RETRY_BACKOFF_SECONDS * 2**retries, MAX_DELAY_SECONDS)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_email(self, email_id: int) -> str:
    """Send outbox row `email_id` once, however often this task runs (community.mail.delivery.deliver)."""
    try:
        result = delivery.deliver(email_id)
    except (delivery.TransientMailError, OperationalError) as exc:  # mail server or database: try again
        if self.request.retries >= self.max_retries:
            delivery.give_up(email_id)
            return "gave up"
        countdown = retry_delay(self.request.retries)
        if self.request.is_eager:
            time.sleep(min(countdown, IN_PROCESS_MAX_PAUSE_SECONDS))
        raise self.retry(exc=delivery.TransientMailError(type(exc).__name__), countdown=countdown) from None
    if result.outcome == "busy" and not self.request.is_eager:  # in-process: the holder finishes it
        raise self.retry(countdown=result.wait_seconds, max_retries=None)
    return result.outcome


@shared_task(acks_late=True)
def send_pending_emails() -> int:
    """Enqueue every email left unsent for two minutes that no worker holds; sending twice is impossible
    (the outbox claim), so a second copy of a task still in the queue is harmless."""
    ids = delivery.pending_ids(timedelta(minutes=2))
    for email_id in ids:
        enqueue(send_email, email_id)
    return len(ids)


@shared_task(acks_late=True)
def purge_sent_emails() -> int:
    return delivery.purge_sent(timedelta(days=settings.MAIL_OUTBOX_KEEP_DAYS))

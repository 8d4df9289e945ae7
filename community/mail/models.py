"""The email outbox: one row per email, written in the transaction of the change that causes it.

The row is what makes sending idempotent: a task sends an email only after claiming its row (a conditional
UPDATE that one worker at a time wins, for a lease), and marks it sent; a retried or redelivered task finds it
sent and does nothing. A rolled-back change takes its row with it, so nothing is ever sent for it. Once sent,
the message itself (subject, body: they may hold a sign-in link) is erased; the row stays
MAIL_OUTBOX_KEEP_DAYS for idempotency, then is purged.
"""

from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    # Optional: one email per key ever (e.g. "notification:<id>"), so writing it twice queues it once.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The message (django.core.mail.EmailMessage's parts), erased once sent.
    message = models.JSONField(default=dict)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)  # the exception's type only: no addresses
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # retries ran out; the sweep tries again

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_unsent_idx", condition=models.Q(sent_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"Email #{self.pk} ({'sent' if self.sent_at else 'waiting'})"

"""Periodic jobs of the accounts app, run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import verification


@shared_task(acks_late=True)
def notify_expiring_experts() -> int:
    """Daily: one expiry notice per expert whose verification ends within 30 days. Safe to run twice (and
    to be redelivered): each notice is claimed by a conditional UPDATE (accounts.verification)."""
    return verification.notify_expiring_experts()


@shared_task(acks_late=True)
def clear_expired_sessions() -> int:
    """Daily: delete expired database sessions (what `manage.py clearsessions` does for this backend)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

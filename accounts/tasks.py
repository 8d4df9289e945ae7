"""Background work of the accounts app: periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE), and
deleting replaced or erased files after the commit."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts import verification
from accounts.models import private_storage
from community.celery import enqueue_on_commit

# Files are named by where they live, so a task message carries names, not storage objects.
STORAGES = {"public": default_storage, "private": private_storage}


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


def delete_files_after_commit(files) -> None:
    """Delete `files` ((storage, name) pairs: old avatars, an erased account's documents) once the change
    that dropped them commits, in the background (an object store's deletes are network calls)."""
    names = [["private" if storage is private_storage else "public", name] for storage, name in files]
    if names:
        enqueue_on_commit(delete_files, names)


@shared_task(acks_late=True)
def delete_files(names: list[list[str]]) -> int:
    """Idempotent: a file already gone is simply not there to delete."""
    for where, name in names:
        STORAGES[where].delete(name)
    return len(names)

"""Daily: tell experts whose verification ends within 30 days (once each; safe to run again)."""

from django.core.management.base import BaseCommand

from accounts.verification import EXPIRY_NOTICE_DAYS, notify_expiring_experts


class Command(BaseCommand):
    help = f"Notify experts whose verification ends within {EXPIRY_NOTICE_DAYS} days (idempotent)."

    def handle(self, *args, **options):
        sent = notify_expiring_experts()
        self.stdout.write(f"Expiry notices sent: {sent}")

"""Rebuild every member's reputation from votes, accepted and featured answers (see accounts.reputation)."""

from django.core.management.base import BaseCommand

from accounts.reputation import recompute_all


class Command(BaseCommand):
    help = "Recompute reputation from the rows and correct members whose stored total differs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report the members whose total differs."
        )

    def handle(self, *args, dry_run=False, **options):
        changed = recompute_all(dry_run=dry_run)
        for user_id, (stored, computed) in sorted(changed.items())[:50]:
            self.stdout.write(f"  member {user_id}: {stored} -> {computed}")
        verb = "differ" if dry_run else "corrected"
        self.stdout.write(f"Members whose reputation {verb}: {len(changed)}")

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.scale_data import finish, generate


class Command(BaseCommand):
    help = (
        "Add benchmark-scale data: --scale 1 = 100k questions, 500k answers, 2M votes, 10k members, 200 experts "
        "(PostgreSQL; SQLite only for small scales)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--finish-only",
            action="store_true",
            help="Only recompute what services leave behind (accepted answers, counts, reputation) on existing data.",
        )

    def handle(self, *args, scale, seed, finish_only=False, **options):
        if finish_only:
            finish()
            self.stdout.write(self.style.SUCCESS("Finished: accepted answers, counts, activity, reputation."))
            return
        if connection.vendor != "postgresql" and scale > 0.05:
            raise CommandError(
                "Use PostgreSQL (DATABASE_URL) for scales above 0.05; SQLite is for tests only."
            )
        self.stdout.write(f"Generating scale {scale} data on {connection.vendor}…")
        result = generate(scale=scale, seed=seed, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Done: {result}"))

"""Rebuild the full-text index of every public question (forum.search.index), e.g. after this change on
PostgreSQL, whose older vectors hold title and body only, or after restoring a database."""

from django.core.management.base import BaseCommand

from forum.search import index


class Command(BaseCommand):
    help = "Rebuild the search index: title, tags, body and verified experts' answers of public questions."

    def handle(self, *args, **options):
        count = index.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} public questions."))

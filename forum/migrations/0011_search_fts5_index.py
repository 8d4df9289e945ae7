"""SQLite's full-text index of public questions (FTS5, porter stemming), filled from what is public now.

A no-op on PostgreSQL, which keeps its index in forum_question.search_vector (GIN, migration 0002); there,
`manage.py rebuild_search_index` adds tags and expert answers to vectors written before this change.
forum.search.index keeps the table in step through the publication path (forum.publication).
"""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

COLUMNS = "title, tags, body, answers"


def create_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS forum_question_fts USING fts5({COLUMNS}, "
        "tokenize = 'porter unicode61')"
    )
    Question = apps.get_model("forum", "Question")
    Answer = apps.get_model("forum", "Answer")
    TaggedQuestion = apps.get_model("forum", "TaggedQuestion")
    ExpertCredential = apps.get_model("accounts", "ExpertCredential")
    active = ExpertCredential.objects.filter(
        revoked_at__isnull=True, verified_until__gt=timezone.now(), user__is_active=True
    )
    for question in Question.objects.filter(status="approved").only("pk", "title", "body"):
        tags = TaggedQuestion.objects.filter(content_object_id=question.pk).values_list(
            "tag__name", flat=True
        )
        answers = (
            Answer.objects.filter(question_id=question.pk, status="approved")
            .filter(Exists(active.filter(user=OuterRef("author"))))
            .order_by("pk")
            .values_list("body", flat=True)
        )
        schema_editor.execute(
            f"INSERT INTO forum_question_fts (rowid, {COLUMNS}) VALUES (%s, %s, %s, %s, %s)",
            [question.pk, question.title, " ".join(tags), question.body, "\n".join(answers)],
        )


def drop_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_question_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0010_search_synonyms"),
        ("accounts", "0005_user_country"),
    ]

    operations = [migrations.RunPython(create_fts_index, drop_fts_index)]

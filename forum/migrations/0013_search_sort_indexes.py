"""Indexes for search's sorts and lists without a query: most votes first, and the "Unanswered" list.

Partial indexes over public questions, like question_public_idx. Plain SQL (both databases accept it) so
the model's state is unchanged: forum.models is being restructured meanwhile.
"""

from django.db import migrations

INDEXES = [
    (
        "question_public_score_idx",
        "CREATE INDEX IF NOT EXISTS question_public_score_idx ON forum_question (score DESC, id DESC) "
        "WHERE status = 'approved'",
    ),
    (
        "question_unanswered_idx",
        "CREATE INDEX IF NOT EXISTS question_unanswered_idx ON forum_question (approved_at DESC, id DESC) "
        "WHERE status = 'approved' AND answer_count = 0",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("forum", "0012_seed_synonyms")]

    operations = [migrations.RunSQL(sql, f"DROP INDEX IF EXISTS {name}") for name, sql in INDEXES]

"""The full-text index: what of a question is searched, and keeping it to public questions only.

One entry per public question: its title and tags (weighted most), its body, and the public answers of
verified experts. PostgreSQL stores it as the question's `search_vector` (GIN index, `english` stemming);
SQLite in the FTS5 table `forum_question_fts` (porter stemming), made by migration 0009, whose rowid is the
question's id. `reindex` is called by the one publication path (forum.publication) whenever any of that
changes, and drops the entry when the question stops being public.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, TextField, Value

from accounts.models import ExpertCredential
from forum.models import Answer, Question, Status, TaggedQuestion

FTS_TABLE = "forum_question_fts"
FTS_DELETE = "DELETE FROM forum_question_fts WHERE rowid = %s"
FTS_INSERT = "INSERT INTO forum_question_fts (rowid, title, tags, body, answers) VALUES (%s, %s, %s, %s, %s)"
FTS_CLEAR = "DELETE FROM forum_question_fts"
# `reindex` for every public question with an id of at least %s, in one statement (rebuild, scale data). The
# active experts' ids are a parameter, computed once by the one definition (ExpertCredential.objects.active):
# joined per question instead, the planner paired each question with every expert (a BitmapAnd of the
# question's answers and each expert's), which at 1,000,000 questions and 2,000 experts ran for hours.
PG_REINDEX_FROM = (
    "UPDATE forum_question q SET search_vector = "
    "setweight(to_tsvector('english', q.title), 'A') "
    "|| setweight(to_tsvector('english', coalesce(t.names, '')), 'A') "
    "|| setweight(to_tsvector('english', q.body), 'B') "
    "|| setweight(to_tsvector('english', coalesce(e.bodies, '')), 'C') "
    "FROM forum_question q2 "
    "LEFT JOIN LATERAL (SELECT string_agg(tag.name, ' ' ORDER BY tag.name) names FROM forum_taggedquestion tq "
    "  JOIN taggit_tag tag ON tag.id = tq.tag_id WHERE tq.content_object_id = q2.id) t ON true "
    "LEFT JOIN LATERAL (SELECT string_agg(a.body, ' ' ORDER BY a.id) bodies FROM forum_answer a "
    "  WHERE a.question_id = q2.id AND a.status = 'approved' AND a.author_id = ANY(%s)) e ON true "
    "WHERE q.id = q2.id AND q2.status = 'approved' AND q2.id >= %s"
)


def reindex_all_from(cursor, first_id: int = 0) -> int:
    """PostgreSQL: every public question with an id of at least `first_id` anew, in one statement."""
    experts = list(ExpertCredential.objects.active().values_list("user_id", flat=True))
    cursor.execute(PG_REINDEX_FROM, [experts, first_id])
    return cursor.rowcount


# bm25 weights of the FTS5 columns (title, tags, body, answers), like PostgreSQL's A, A, B, C.
FTS_WEIGHTS = (10.0, 10.0, 4.0, 2.0)


def indexed_text(question_id: int) -> dict[str, str] | None:
    """What is searched of the question, or None when it is not public."""
    row = Question.objects.filter(pk=question_id, status=Status.APPROVED).values("title", "body").first()
    if row is None:
        return None
    tags = TaggedQuestion.objects.filter(content_object_id=question_id).values_list("tag__name", flat=True)
    answers = (
        Answer.objects.filter(question_id=question_id, status=Status.APPROVED)
        .filter(Exists(ExpertCredential.objects.active().filter(user=OuterRef("author"))))
        .order_by("pk")
        .values_list("body", flat=True)
    )
    return {"title": row["title"], "tags": " ".join(tags), "body": row["body"], "answers": "\n".join(answers)}


def _vector(text: str, weight: str) -> SearchVector:
    return SearchVector(Value(text, output_field=TextField()), weight=weight, config="english")


def reindex(question_id: int) -> None:
    """Bring the question's entry up to date: its current public text, or no entry when it is not public."""
    text = indexed_text(question_id)
    if connection.vendor == "postgresql":
        vector = None
        if text is not None:
            vector = (
                _vector(text["title"], "A")
                + _vector(text["tags"], "A")
                + _vector(text["body"], "B")
                + _vector(text["answers"], "C")
            )
        Question.objects.filter(pk=question_id).update(search_vector=vector)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(FTS_DELETE, [question_id])
            if text is not None:
                cursor.execute(
                    FTS_INSERT,
                    [question_id, text["title"], text["tags"], text["body"], text["answers"]],
                )


def reindex_many(question_ids) -> None:
    for question_id in sorted(set(question_ids)):
        reindex(question_id)


def rebuild() -> int:
    """Every public question's entry anew (management command `rebuild_search_index`); returns how many."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(FTS_CLEAR)
    else:
        Question.objects.exclude(status=Status.APPROVED).update(search_vector=None)
        with connection.cursor() as cursor:
            return reindex_all_from(cursor)  # one statement: a million questions in minutes
    ids = list(Question.objects.filter(status=Status.APPROVED).values_list("pk", flat=True))
    reindex_many(ids)
    return len(ids)

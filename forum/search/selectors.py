"""Searching public questions: a query (forum.search.query) with filters and a sort, one keyset page at a time.

Only approved questions are ever read (the index holds nothing else either: forum.search.index); what a
moderator could see besides is found in the moderation queue, not here.

Costs, so that a common word stays cheap however large the community grows (bench/RESULTS.md):
- "newest" walks matches newest first and stops after a page (keyset on approved_at, id);
- "relevance" and "most votes" order the SEARCH_CANDIDATES newest matches (of the query *and* the filters):
  ranking reads each ranked row, so over every match a word like "sleep" would cost in proportion to the
  whole site. On PostgreSQL the newest matches are looked for in the last 90 days first, then two years,
  then ever, stopping as soon as a window holds enough: the same result as one search over everything.
- without a query, "newest" and "most votes" walk an index (question_public_idx, question_public_score_idx).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from taggit.models import Tag

from community import page_cache
from forum.models import Answer, Category, Question, Status, TaggedQuestion
from forum.search import query as search_query
from forum.search.index import FTS_WEIGHTS
from forum.search.synonyms import synonym_map
from forum.selectors import question_list_base

FTS_MATCH = "SELECT rowid FROM forum_question_fts WHERE forum_question_fts MATCH %s"
SEARCH_CANDIDATES = 1000  # relevance and votes order at most this many of the newest matches
SEARCH_WINDOWS_DAYS = (90, 730, None)  # where the newest matches are looked for first (None: everywhere)

RELEVANCE, NEWEST, VOTES = "relevance", "newest", "votes"
SORTS = {RELEVANCE: "Best match", NEWEST: "Newest", VOTES: "Most votes"}


@dataclass
class Filters:
    """What narrows a search; every filter given applies (they combine with each other and the query)."""

    category: Category | None = None
    tag: Tag | None = None
    expert_answered: bool = False
    accepted: bool = False
    unanswered: bool = False

    def apply(self, questions):
        if self.category is not None:
            questions = questions.filter(category=self.category)
        if self.tag is not None:
            questions = questions.filter(
                Exists(TaggedQuestion.objects.filter(content_object=OuterRef("pk"), tag=self.tag))
            )
        if self.expert_answered:
            questions = questions.filter(expert_answer_count__gt=0)
        if self.accepted:
            # The accepted answer itself must be public: a hidden one is no answer to show.
            questions = questions.filter(
                Exists(Answer.objects.filter(pk=OuterRef("accepted_answer_id"), status=Status.APPROVED))
            )
        if self.unanswered:
            questions = questions.filter(answer_count=0)
        return questions

    @property
    def any(self) -> bool:
        return bool(self.category or self.tag or self.expert_answered or self.accepted or self.unanswered)


@dataclass
class Results:
    items: list[Question] = field(default_factory=list)
    next_cursor: str | None = None
    is_first: bool = True
    sort: str = NEWEST


def effective_sort(sort: str, has_query: bool) -> str:
    """The sort used: relevance needs a query (without one it is newest), an unknown one is the default."""
    if sort not in SORTS:
        sort = RELEVANCE
    return NEWEST if sort == RELEVANCE and not has_query else sort


def search(*, text: str = "", filters: Filters | None = None, sort: str = RELEVANCE, cursor: str | None = None,
           page_size: int | None = None) -> Results:  # fmt: skip
    """One page of approved questions matching `text` (words, synonyms, "phrases", -exclusions, `or`) and
    `filters`, in `sort` order, after `cursor` (the previous page's `next_cursor`). No text and no filter:
    no results."""
    filters = filters or Filters()
    page_size = page_size or settings.FORUM_PAGE_SIZE
    terms = search_query.parse(text, synonym_map()) if text and text.strip() else None
    if not terms and not filters.any:
        return Results(sort=effective_sort(sort, False))
    if terms is not None and not terms:  # only punctuation or exclusions: nothing to look for
        return Results(sort=effective_sort(sort, True))
    sort = effective_sort(sort, terms is not None)
    questions = filters.apply(question_list_base())
    if terms is not None:
        questions = questions.filter(_matches(terms))
    if sort == NEWEST or (sort == VOTES and terms is None):
        return _from_database(questions, sort, cursor, page_size)
    return _from_candidates(questions, terms, sort, cursor, page_size)


def _matches(terms) -> Q:
    if connection.vendor == "postgresql":
        return Q(search_vector=search_query.to_postgres(terms))
    # The expression is a parameter; the SQL is constant.
    return Q(pk__in=RawSQL(FTS_MATCH, [search_query.to_fts5(terms)]))  # noqa: S611


# --- Keyset cursors: "<sort key>_<id>" -------------------------------------------------------------------


def _encode(sort: str, question_or_key) -> str:
    key, pk = question_or_key
    if sort == NEWEST:
        key = f"{key.timestamp():.6f}"
    return f"{key!s}_{pk}"


def _decode(sort: str, cursor: str | None):
    if not cursor:
        return None
    try:
        key, pk = cursor.rsplit("_", 1)
        pk = int(pk)
        if sort == NEWEST:
            return datetime.fromtimestamp(float(key), tz=UTC), pk
        return (int(key) if sort == VOTES else float(key)), pk
    except (ValueError, OverflowError, OSError):
        return None  # a cursor that is not ours (edited by hand, another sort's): the first page


SORT_FIELD = {NEWEST: "approved_at", VOTES: "score"}


def _from_database(questions, sort: str, cursor: str | None, page_size: int) -> Results:
    name = SORT_FIELD[sort]
    after = _decode(sort, cursor)
    if after:
        key, pk = after
        questions = questions.filter(Q(**{f"{name}__lt": key}) | Q(**{name: key}, pk__lt=pk))
    rows = list(questions.order_by(f"-{name}", "-pk")[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = _encode(sort, (getattr(rows[-1], name), rows[-1].pk)) if more else None
    return Results(items=rows, next_cursor=next_cursor, is_first=after is None, sort=sort)


def _newest_candidates(questions) -> list[tuple[int, int]]:
    """(id, score) of the SEARCH_CANDIDATES newest of `questions`."""
    windows = SEARCH_WINDOWS_DAYS if connection.vendor == "postgresql" else (None,)
    for days in windows:
        recent = questions
        if days is not None:
            recent = recent.filter(approved_at__gte=timezone.now() - timedelta(days=days))
        found = list(recent.order_by("-approved_at", "-pk").values_list("pk", "score")[:SEARCH_CANDIDATES])
        if len(found) >= SEARCH_CANDIDATES:
            break
    return found


def _ranks(terms, ids: list[int]) -> dict[int, float]:
    """How well each question matches (higher is better): title and tags weigh most, then body, then
    expert answers."""
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        # F(): rank the stored, weighted vector (a plain name would be re-parsed as text, losing weights).
        rank = SearchRank(F("search_vector"), search_query.to_postgres(terms))
        return dict(Question.objects.filter(pk__in=ids).annotate(rank=rank).values_list("pk", "rank"))
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    marks = ", ".join(["%s"] * len(ids))
    sql = (  # only constants and placeholders are formatted in
        f"SELECT rowid, -bm25(forum_question_fts, {weights}) FROM forum_question_fts "  # noqa: S608
        f"WHERE forum_question_fts MATCH %s AND rowid IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [search_query.to_fts5(terms), *ids])
        return dict(cursor.fetchall())


def _from_candidates(questions, terms, sort: str, cursor: str | None, page_size: int) -> Results:
    candidates = _newest_candidates(questions.order_by())
    if sort == RELEVANCE:
        ranks = _ranks(terms, [pk for pk, _ in candidates])
        keys = [(ranks.get(pk, 0.0), pk) for pk, _ in candidates]
    else:
        keys = [(score, pk) for pk, score in candidates]
    keys.sort(reverse=True)
    after = _decode(sort, cursor)
    if after:
        keys = [key for key in keys if key < after]
    page, more = keys[:page_size], len(keys) > page_size
    rows = {q.pk: q for q in question_list_base().filter(pk__in=[pk for _, pk in page])}
    items = [rows[pk] for _, pk in page if pk in rows]
    next_cursor = _encode(sort, page[-1]) if more else None
    return Results(items=items, next_cursor=next_cursor, is_first=after is None, sort=sort)


# --- The tag index -------------------------------------------------------------------------------------------


def tags_with_counts() -> list[dict]:
    """Every tag of a public question, with how many public questions carry it; most used first. Kept in
    the cache under the lists' version, which every public change replaces (community.page_cache)."""

    def count():
        return list(
            TaggedQuestion.objects.filter(content_object__status=Status.APPROVED)
            .values("tag__name", "tag__slug")
            .annotate(count=Count("pk"))
            .order_by("-count", "tag__name")
        )

    return page_cache.remember("tags-index", [page_cache.LISTS], count)


def unanswered_questions():
    """Public questions without a public answer, newest first (paginate with forum.selectors)."""
    return question_list_base().filter(answer_count=0)

"""Search over approved questions: PostgreSQL full-text search (ranked, stemmed, GIN-indexed) and SQLite's
FTS5 index (stemmed by the porter tokenizer). Questions reach search the way members' questions do: asked, then approved."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forum import publication
from forum.models import Question, Status
from forum.moderation import review
from forum.posting import services
from forum.search import query as search_query
from forum.search import selectors
from tests.factories import UserFactory, category, make_moderator

pytestmark = pytest.mark.django_db


def postgres_only(test):
    skip = pytest.mark.skipif(
        not settings.IS_POSTGRES, reason="the GIN index and search windows are PostgreSQL's"
    )
    return pytest.mark.postgres(skip(test))


sqlite_only = pytest.mark.skipif(
    settings.IS_POSTGRES, reason="the FTS5 index is SQLite's; PostgreSQL has its own"
)


@pytest.fixture
def mod(db):
    return make_moderator(display_name="Morgan")


def asked(title, body, *, approve_by=None, reject_by=None):
    question = services.ask(
        author=UserFactory(),
        title=title,
        body=body,
        category=category("living-well"),
        tags=["search-test"],
        accepted_terms=True,
    )
    if approve_by:
        review.approve(moderator=approve_by, item=question)
    if reject_by:
        review.reject(moderator=reject_by, item=question, reason="Please rephrase.")
    question.refresh_from_db()
    return question


def titles_found(client, query) -> list[str]:
    response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code == 200
    return [q.title for q in response.context["results"].items]


def test_title_match_ranks_above_body_only_match(client, mod):
    in_title = asked(
        "Simple ways to improve sleep", "Looking for small changes to my evening.", approve_by=mod
    )
    in_body = asked(
        "Evening routine for a busy parent", "I want an evening routine that helps my sleep.", approve_by=mod
    )
    assert in_body.approved_at > in_title.approved_at  # so newest-first would put the body match first
    assert titles_found(client, "sleep") == [in_title.title, in_body.title]


def test_search_is_stemmed(client, mod):
    question = asked(
        "How much sleep does a teenager need?", "My son is always tired in the morning.", approve_by=mod
    )
    assert titles_found(client, "sleeping") == [question.title]
    assert titles_found(client, "teenagers") == [question.title]


def test_search_handles_quotes_and_operators(client, mod):
    question = asked("Is coffee bad for anxiety?", "Two cups in the morning make me jittery.", approve_by=mod)
    assert titles_found(client, '"coffee" anxiety') == [question.title]
    assert titles_found(client, "coffee -anxiety") == []
    assert titles_found(client, "coffee & ( | !") == [question.title]


def test_pending_and_rejected_questions_are_never_found(client, mod):
    asked("Pending: does magnesium help with cramps?", "Night cramps in my calves.")
    asked("Rejected: magnesium and my neighbour Bob", "Night cramps again.", reject_by=mod)
    public = asked("Approved: magnesium for restless legs?", "Restless legs at night.", approve_by=mod)
    assert titles_found(client, "magnesium") == [public.title]
    client.force_login(mod)  # search is the public index: moderators find pending items in the queue
    assert titles_found(client, "magnesium") == [public.title]


def test_a_question_whose_edit_awaits_review_stays_in_search_as_approved(client, mod):
    question = asked("Can yoga help with back pain?", "My lower back hurts after work.", approve_by=mod)
    assert titles_found(client, "yoga") == [question.title]
    edited = services.edit_question(
        editor=question.author,
        question=question,
        title="Can yoga help with hamstring pain?",
        body="My hamstrings hurt after long days at work.",
        category=question.category,
        tags=["search-test"],
    )
    question.refresh_from_db()
    assert question.status == Status.APPROVED
    assert titles_found(client, "yoga") == ["Can yoga help with back pain?"]  # the approved version
    assert titles_found(client, "hamstring") == []  # the proposed text is not public yet
    review.approve(moderator=mod, item=edited.pending_edit)
    assert titles_found(client, "hamstring") == ["Can yoga help with hamstring pain?"]


def test_empty_query_shows_no_results(client):
    response = client.get(reverse("forum:search"), {"q": "   "})
    assert response.status_code == 200
    assert response.context["results"].items == []


@pytest.mark.slow
@postgres_only
def test_search_uses_the_gin_index(mod):
    asked("How do I stop snoring?", "My partner says I snore every night.", approve_by=mod)
    author = UserFactory()
    words = ["walking", "protein", "anxiety", "diabetes", "knees", "tea", "headache", "posture"]
    Question.objects.bulk_create(
        Question(
            author=author,
            title=f"Question {i} about {words[i % len(words)]}",
            slug=f"question-{i}",
            body=f"Some details about {words[(i + 3) % len(words)]} and daily life.",
            category=category("living-well"),
            status=Status.APPROVED,
            approved_at=timezone.now(),
            terms_version="test",
        )
        # Enough rows that an index is worth its cost; on a handful the planner rightly scans a btree.
        for i in range(2000)
    )
    for question in Question.objects.all():
        publication.update_search_vector(question)
    queryset = Question.objects.filter(
        status=Status.APPROVED, search_vector=search_query.to_postgres(search_query.parse("snoring"))
    ).order_by("-approved_at", "-pk")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forum_question")
        # No sequential scan and no plain btree walk of "all approved rows": the match must come from an index
        # on the words (a bitmap scan of the GIN index), which is what a large table gets.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_indexscan = on")
    assert "question_search_gin" in plan, plan
    assert [q.title for q in selectors.search(text="snoring").items] == ["How do I stop snoring?"]


@postgres_only
def test_gin_index_exists_on_the_search_vector():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'question_search_gin'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


@sqlite_only
def test_sqlite_needs_every_word_in_the_question(client, mod):
    both = asked("Sleep and stress at work", "Deadlines keep me awake.", approve_by=mod)
    asked("Sleep after night shifts", "Working nights is hard.", approve_by=mod)
    assert titles_found(client, "SLEEP deadlines") == [both.title]
    assert len(titles_found(client, "sleep")) == 2
    assert titles_found(client, "sleep 100%_") == []


def test_a_common_word_ranks_the_newest_matches_and_a_rare_word_all_of_them(client, mod, monkeypatch):
    # Ranking reads each ranked row, so only the newest SEARCH_CANDIDATES matches are ranked (cost stays flat
    # as the community grows); within them the best match still comes first.
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 3)
    oldest = asked("Sleep sleep sleep: sleep tips", "Sleep hygiene and sleep diaries.", approve_by=mod)
    asked("Walking after dinner", "Does it help me sleep?", approve_by=mod)
    asked("Coffee in the afternoon", "Could it affect sleep?", approve_by=mod)
    best_recent = asked("Sleep after night shifts", "Sleep in the day is hard.", approve_by=mod)
    titles = titles_found(client, "sleep")
    assert titles[0] == best_recent.title and len(titles) == 3
    assert oldest.title not in titles
    assert titles_found(client, "diaries") == [oldest.title]  # a rare word: every match is ranked


@postgres_only
def test_older_matches_are_searched_when_the_recent_ones_are_too_few(client, mod, monkeypatch):
    # The newest matches are looked for in the last 90 days first, then the last two years, then ever: the
    # result is the same as ranking the SEARCH_CANDIDATES newest matches of all time.
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 2)
    old = asked("Tinnitus, tinnitus everywhere", "Tinnitus for years.", approve_by=mod)
    Question.objects.filter(pk=old.pk).update(approved_at=timezone.now() - timezone.timedelta(days=1000))
    recent = asked("A constant hum", "Could it be tinnitus?", approve_by=mod)
    assert titles_found(client, "tinnitus") == [
        old.title,
        recent.title,
    ]  # from the last window, and ranked first
    newer = asked("Tinnitus after a concert", "Ringing since Saturday.", approve_by=mod)
    assert set(titles_found(client, "tinnitus")) == {recent.title, newer.title}  # the 2 newest matches

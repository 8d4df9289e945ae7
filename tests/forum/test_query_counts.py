"""Query counts of list and detail pages must not grow with the number of questions, answers or tags.

Each page is measured with 3 and with 30 rows (every row tagged, by its own author); the counts must be
equal, and below a fixed ceiling. Run with `-s` to print the measured numbers.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import publication
from forum.models import Answer, Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # Anonymous pages are served from the page cache (community.page_cache) with no query at all once warm;
    # these tests measure what rendering a page costs, so the page cache is off here.
    settings.PAGE_CACHE_SECONDS = 0


# Ceilings: generous enough for small template changes, far below one query per row.
MAX_QUERIES = 20


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # Count the queries of rendering a page, not of serving a visitor's cached copy (community.page_cache,
    # tests/forum/test_caching.py): the second anonymous request would otherwise need none at all.
    settings.PAGE_CACHE_SECONDS = 0


def tagged_questions(n, *, status=Status.APPROVED, cat="living-well"):
    questions = []
    for i in range(n):
        question = QuestionFactory(status=status, category=category(cat), author=UserFactory())
        question.tags.set([f"topic-{i}", "shared-tag", f"group-{i % 3}"])
        questions.append(question)
    return questions


def count_queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (navigation categories, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def viewer_client(role):
    client = Client()
    if role == "member":
        client.force_login(UserFactory())
    elif role == "moderator":
        client.force_login(make_moderator())
    return client


def measure(role, url_for, build, django_assert_max_num_queries):
    """Query counts for the page with 3 and with 30 rows; the database is rebuilt between the two."""
    counts = []
    for n in (3, 30):
        url = url_for(build(n))
        client = viewer_client(role)
        with django_assert_max_num_queries(MAX_QUERIES + 1):  # +1: the warm-up request is not counted
            client.get(url)
        counts.append(count_queries(client, url))
    return counts


def report(page, role, counts):
    print(f"\n[query counts] {page:<18} {role:<10} 3 rows: {counts[0]:>2}   30 rows: {counts[1]:>2}")


def _fresh(build):
    """Wrap a builder so each size starts from a clean slate of questions and answers."""

    def run(n):

        Answer.objects.all().delete()
        Question.objects.all().delete()
        return build(n)

    return run


ROLES = ["anonymous", "member", "moderator"]


@pytest.mark.parametrize("role", ROLES)
def test_home_page_queries_do_not_grow_with_questions(role, django_assert_max_num_queries):
    counts = measure(
        role, lambda _: reverse("forum:home"), _fresh(tagged_questions), django_assert_max_num_queries
    )
    report("home", role, counts)
    assert counts[0] == counts[1]
    assert counts[1] <= MAX_QUERIES


@pytest.mark.parametrize("role", ROLES)
def test_category_page_queries_do_not_grow_with_questions(role, django_assert_max_num_queries):
    counts = measure(
        role,
        lambda _: reverse("forum:category", args=["living-well"]),
        _fresh(tagged_questions),
        django_assert_max_num_queries,
    )
    report("category", role, counts)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ROLES)
def test_tag_page_queries_do_not_grow_with_questions(role, django_assert_max_num_queries):
    counts = measure(
        role,
        lambda _: reverse("forum:tag", args=["shared-tag"]),
        _fresh(tagged_questions),
        django_assert_max_num_queries,
    )
    report("tag", role, counts)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ROLES)
def test_search_page_queries_do_not_grow_with_results(role, django_assert_max_num_queries, settings):
    def build(n):
        questions = tagged_questions(n)
        if settings.IS_POSTGRES:
            for question in questions:
                publication.update_search_vector(question)
        return questions

    counts = measure(
        role, lambda _: reverse("forum:search") + "?q=sleep", _fresh(build), django_assert_max_num_queries
    )
    report("search", role, counts)
    assert counts[0] == counts[1]


def question_with_answers(n):
    question = tagged_questions(1)[0]
    for neighbour in tagged_questions(5):  # "More Q&A" has something to show
        neighbour.tags.add("topic-0")
    for i in range(n):
        AnswerFactory(question=question, author=UserFactory(), status=Status.APPROVED)
        if i % 5 == 0:
            AnswerFactory(question=question, author=UserFactory(), status=Status.PENDING)
    publication.refresh_answer_count(question.pk)
    return question


@pytest.mark.parametrize("role", ROLES)
def test_question_page_queries_do_not_grow_with_answers(role, django_assert_max_num_queries):
    counts = measure(
        role,
        lambda question: question.get_absolute_url(),
        _fresh(question_with_answers),
        django_assert_max_num_queries,
    )
    report("question", role, counts)
    assert counts[0] == counts[1]


def pending_items(n):
    questions = tagged_questions(n, status=Status.PENDING, cat="mental-health")
    host = tagged_questions(1)[0]
    for _ in range(n):
        AnswerFactory(question=host, author=UserFactory(), status=Status.PENDING)
    return questions


def test_moderation_queue_queries_do_not_grow_with_pending_items(django_assert_max_num_queries):
    counts = measure(
        "moderator",
        lambda _: reverse("forum:moderation_queue"),
        _fresh(pending_items),
        django_assert_max_num_queries,
    )
    report("moderation queue", "moderator", counts)
    assert counts[0] == counts[1]


def test_profile_page_queries_do_not_grow_with_posts(django_assert_max_num_queries):
    member = UserFactory()

    def build(n):
        for question in tagged_questions(n):
            question.author = member
            question.save()
            AnswerFactory(question=question, author=member)
        return member

    counts = measure(
        "anonymous",
        lambda m: reverse("people:profile", args=[m.pk]),
        _fresh(build),
        django_assert_max_num_queries,
    )
    report("profile", "anonymous", counts)
    assert counts[0] == counts[1]

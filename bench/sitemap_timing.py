"""Time and queries of the sitemap and a feed with 60,000 public questions (issue 16, item 2), in process,
on SQLite by default (DATABASE_URL selects PostgreSQL as for the tests).

Run: .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/sitemap_timing.py
Prints the median of 5 requests for the sitemap index, the first (50,000 URLs) and second (10,000 URLs) page
of the questions section, and the newest-questions feed, with the SQL queries each made; and the time to
build a question page's JSON-LD (a page-cache miss) for 5 and 300 answers."""

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import selectors
from forum.discovery.structured_data import qa_page_script
from forum.models import Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category

pytestmark = pytest.mark.django_db
QUESTIONS = 60_000


def _arrange():
    author = UserFactory()
    place = category()
    now = timezone.now()
    Question.objects.bulk_create(
        [
            Question(
                author=author,
                title=f"Question {n} about sleep",
                slug=f"question-{n}-about-sleep",
                body="Body.",
                body_html="<p>Body.</p>",
                category=place,
                status=Status.APPROVED,
                terms_version="bench",
                approved_at=now,
                last_activity_at=now,
            )
            for n in range(QUESTIONS)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a live database has them


def _measure(client, path, runs=5):
    client.get(path)  # warm: URL resolver, templates, the database's pages
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times), len(queries), len(response.content)


def test_sitemap_timing():
    _arrange()
    client = Client()
    print(f"\n{QUESTIONS:,} public questions, {connection.vendor}")
    print(f"{'path':<34} {'median ms':>10} {'queries':>8} {'bytes':>10}")
    for path in ("/sitemap.xml", "/sitemap-questions.xml", "/sitemap-questions.xml?p=2", "/feeds/questions/"):
        ms, queries, size = _measure(client, path)
        print(f"{path:<34} {ms:>10.1f} {queries:>8} {size:>10,}")


def test_qa_page_build_timing(settings):
    """Building a question page's JSON-LD (what a cache miss costs): 5 and 300 answers."""
    settings.PAGE_CACHE_SECONDS = 0  # build every time
    for count in (5, 300):
        question = QuestionFactory()
        AnswerFactory.create_batch(count, question=question, body="Drink water. " * 40)
        answers = selectors.public_answers(question)
        times = []
        for _ in range(10):
            start = time.perf_counter()
            qa_page_script(question, answers)
            times.append((time.perf_counter() - start) * 1000)
        print(f"\nJSON-LD of a {count}-answer question: {statistics.median(times):.2f} ms (median of 10)")

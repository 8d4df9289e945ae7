"""In-process render times of the question page (item 7 of issue 12), on SQLite with the local-memory cache.

Run: .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/page_timing.py
Prints the median of 30 requests for: a member's page of a 5- and a 300-answer question (cache warm), a
visitor's page right after a vote on the 300-answer question (the first request after the vote), and a
member's page right after that vote. The cache is the local-memory one of the tests; it keeps 20,000
entries (community/settings.py): with Django's default 300, a 300-answer page's shared answer copies culled
each other and every answer was rendered on every request (bench/RESULTS.md, item 14)."""

import statistics
import time

import pytest
from django.template import Template
from django.test import Client
from django.test.utils import _TestState

from forum.models import Status
from forum.voting.services import vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _question(n):
    question = QuestionFactory(status=Status.APPROVED)
    for _ in range(n):
        AnswerFactory(question=question, status=Status.APPROVED)
    return question


def _ms(fn, runs=30):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@pytest.fixture(autouse=True)
def _templates_as_in_production(monkeypatch):
    """The test environment records every template rendered (a copy of its context each time): not what
    a server pays."""
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


def test_print_question_page_timings(settings):
    settings.PAGE_CACHE_SECONDS = 300
    small, big = _question(5), _question(300)
    member = Client()
    member.force_login(UserFactory())
    visitor = Client()
    for question in (small, big):
        member.get(question.get_absolute_url())
    print()
    print(f"member, 5 answers:   {_ms(lambda: member.get(small.get_absolute_url())):7.2f} ms")
    print(f"member, 300 answers: {_ms(lambda: member.get(big.get_absolute_url())):7.2f} ms")
    answers = list(big.answers.all())
    voters = [UserFactory() for _ in range(30)]

    def after_vote(client):
        def run():
            vote(voter=voters.pop(), item=answers[len(voters)], value=1)
            voters.insert(0, UserFactory())
            start = time.perf_counter()
            client.get(big.get_absolute_url())
            return (time.perf_counter() - start) * 1000

        return statistics.median(run() for _ in range(15))

    print(f"visitor, 300 answers, first request after a vote: {after_vote(visitor):7.2f} ms")
    print(f"member, 300 answers, first request after a vote:  {after_vote(member):7.2f} ms")

"""A vote on a busy question changes its numbers, not the rest of its page (forum.reading.scores,
forum.page_cache.scores_changed): the question and its answers are not read again, yet every viewer sees
the new score, the author's new reputation and the answers in reading order. At the HTTP level, cache on."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.models import Status
from forum.moderation import actions as moderation
from forum.reading import scores as page_scores
from forum.voting.services import vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="answer[^"]*"\s+id="answer-(\d+)"', html)]


def score_shown(html: str, pk: int) -> int:
    return int(re.search(rf'data-score-for="answer-{pk}" aria-label="Score">(-?\d+)<', html).group(1))


def reputation_shown(html: str, pk: int) -> int:
    article = re.search(rf'id="answer-{pk}".*?</article>', html, re.S).group(0)
    return int(re.search(r'<span class="rep"[^>]*>(-?\d+)</span>', article).group(1))


@pytest.fixture
def question():
    question = QuestionFactory(status=Status.APPROVED)
    for _ in range(4):
        AnswerFactory(question=question, status=Status.APPROVED)
    return question


def test_after_a_vote_the_page_shows_the_new_score_and_reputation_without_reading_the_answers_again(question):
    answers = list(question.answers.order_by("pk"))
    visitor, reader = Client(), login(UserFactory())
    for viewer in (visitor, reader):
        viewer.get(question.get_absolute_url())
    reputation = answers[3].author.reputation
    vote(voter=UserFactory(), item=answers[3], value=1)
    for viewer in (visitor, reader):
        with CaptureQueriesContext(connection) as queries:
            html = viewer.get(question.get_absolute_url()).content.decode()
        assert score_shown(html, answers[3].pk) == 1
        assert reputation_shown(html, answers[3].pk) == reputation + 10
        # The answers' text is not read again: only their numbers.
        assert not [
            q for q in queries.captured_queries if "body_html" in q["sql"] and "forum_answer" in q["sql"]
        ]


def test_an_answer_voted_above_another_moves_up_for_visitors_and_members(question):
    answers = list(question.answers.order_by("pk"))
    visitor, reader = Client(), login(UserFactory())
    assert order(visitor.get(question.get_absolute_url()).content.decode()) == [a.pk for a in answers]
    reader.get(question.get_absolute_url())
    vote(voter=UserFactory(), item=answers[2], value=1)
    vote(voter=UserFactory(), item=answers[0], value=-1)
    expected = [answers[2].pk, answers[1].pk, answers[3].pk, answers[0].pk]
    for viewer in (visitor, reader):
        assert order(viewer.get(question.get_absolute_url()).content.decode()) == expected


def test_a_vote_on_the_question_shows_its_new_score(question):
    client = Client()
    client.get(question.get_absolute_url())
    vote(voter=UserFactory(), item=question, value=1)
    html = client.get(question.get_absolute_url()).content.decode()
    assert re.search(rf'data-score-for="question-{question.pk}" aria-label="Score">1<', html)


def test_an_answer_hidden_after_votes_leaves_the_page_and_its_numbers(question):
    answers = list(question.answers.order_by("pk"))
    client = Client()
    vote(voter=UserFactory(), item=answers[1], value=1)
    assert f'id="answer-{answers[1].pk}"' in client.get(question.get_absolute_url()).content.decode()
    moderation.hide(moderator=make_moderator(), item=answers[1], reason="Off topic")
    vote(voter=UserFactory(), item=answers[0], value=1)
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'id="answer-{answers[1].pk}"' not in html
    assert answers[1].pk not in page_scores.current(question.pk).answers


def test_nothing_private_reaches_the_numbers_or_the_page_of_an_anonymous_question():
    asker = UserFactory(display_name="Priya Secretname")
    question = QuestionFactory(status=Status.APPROVED, author=asker, is_anonymous=True)
    public = AnswerFactory(question=question, status=Status.APPROVED)
    planted = {
        status: AnswerFactory(question=question, status=status, body=f"Planted {status} answer text")
        for status in (Status.PENDING, Status.REJECTED, Status.HIDDEN, Status.DELETED)
    }
    visitor, reader = Client(), login(UserFactory())
    for viewer in (visitor, reader):
        viewer.get(question.get_absolute_url())
    vote(voter=UserFactory(), item=public, value=1)
    vote(voter=UserFactory(), item=question, value=1)
    numbers = page_scores.current(question.pk)
    assert set(numbers.answers) == {public.pk}
    for viewer in (visitor, reader):
        html = viewer.get(question.get_absolute_url()).content.decode()
        assert score_shown(html, public.pk) == 1
        assert "Priya Secretname" not in html and asker.get_absolute_url() not in html
        for status, answer in planted.items():
            assert f"Planted {status} answer text" not in html
            assert f'id="answer-{answer.pk}"' not in html


def test_a_300_answer_page_renders_only_the_voted_answer_again(question):
    """Without Redis too (the local-memory cache of `make run` and the tests): its 300 shared answer copies
    stay in the cache instead of culling each other."""
    AnswerFactory.create_batch(296, question=question, status=Status.APPROVED)
    voted = question.answers.order_by("pk").last()
    client = Client()
    client.get(question.get_absolute_url())
    vote(voter=UserFactory(), item=voted, value=1)
    response = client.get(question.get_absolute_url())
    assert [t.name for t in response.templates].count("forum/_answer.html") == 1
    assert score_shown(response.content.decode(), voted.pk) == 1

"""A member's question page reads the public answers from the cache (forum.views._public_answers) and only
what is the member's own from the database: their votes and their answers not yet public. These tests
check, with the cache on, that nothing of one member shows on another's page, that a member's pending
answer shows to them alone, and that changes to the answers reach the next page."""

import re

import pytest
from django.test import Client

from forum import services
from forum.models import Status
from forum.voting import vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def page(user, question) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def pressed(html: str, kind: str, pk: int) -> str:
    """Which vote button of the item is pressed: "up", "down" or ""."""
    widget = re.search(rf'id="vote-{kind}-{pk}".*?</div>', html, re.S).group(0)
    return next((v for v in ("up", "down") if re.search(rf'value="{v}"[^>]*aria-pressed="true"', widget)), "")


@pytest.fixture
def question():
    question = QuestionFactory(status=Status.APPROVED)
    AnswerFactory(question=question, status=Status.APPROVED)
    return question


def test_each_member_sees_their_own_votes(question):
    answer = question.answers.get()
    voter, other = UserFactory(), UserFactory()
    page(other, question)  # the public answers are now in the cache
    vote(voter=voter, item=answer, value=-1)
    vote(voter=voter, item=question, value=1)
    mine = page(voter, question)
    assert pressed(mine, "answer", answer.pk) == "down"
    assert pressed(mine, "question", question.pk) == "up"
    theirs = page(other, question)
    assert pressed(theirs, "answer", answer.pk) == ""
    assert pressed(theirs, "question", question.pk) == ""


def test_a_pending_answer_shows_to_its_author_and_moderators_only(question):
    author, other = UserFactory(), UserFactory()
    page(other, question)
    pending = AnswerFactory(question=question, author=author, status=Status.PENDING, body="My pending words")
    assert f'id="answer-{pending.pk}"' in page(author, question)
    assert f'id="answer-{pending.pk}"' not in page(other, question)
    assert f'id="answer-{pending.pk}"' in page(make_moderator(), question)


def test_an_approved_answer_reaches_the_next_member_page(question):
    member = UserFactory()
    page(member, question)
    pending = AnswerFactory(question=question, status=Status.PENDING)
    services.approve(moderator=make_moderator(), item=pending)
    assert f'id="answer-{pending.pk}"' in page(member, question)

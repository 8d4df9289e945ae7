"""One copy of each answer for every viewer of a question page (forum/templatetags/fragment_cache.py), the
viewer's own parts filled in on the way out, and the anonymous page served from its previous copy while one
request rebuilds it (community.page_cache). With the cache on, at the HTTP level."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from community import page_cache
from forum.models import Status
from forum.moderation import actions as moderation
from forum.moderation import review
from forum.posting import services
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


def answers_rendered(response) -> int:
    """How many answers the response rendered from the template (not read back from the cache)."""
    return [t.name for t in response.templates].count("forum/_answer.html")


def pressed(html: str, pk: int) -> str:
    widget = re.search(rf'id="vote-answer-{pk}".*?</div>', html, re.S).group(0)
    return next((v for v in ("up", "down") if re.search(rf'value="{v}"[^>]*aria-pressed="true"', widget)), "")


def score_shown(html: str, pk: int) -> str:
    return re.search(rf'data-score-for="answer-{pk}" aria-label="Score">(-?\d+)<', html).group(1)


@pytest.fixture
def question():
    return QuestionFactory(status=Status.APPROVED)


def test_a_vote_on_one_answer_re_renders_that_answer_only_once_for_every_viewer(question):
    answers = [AnswerFactory(question=question, status=Status.APPROVED) for _ in range(4)]
    visitor, reader, voter = Client(), login(UserFactory()), UserFactory()
    vote(voter=voter, item=answers[0], value=1)
    viewers = [visitor, reader, login(voter)]
    assert sum(answers_rendered(viewer.get(question.get_absolute_url())) for viewer in viewers) == 4
    vote(voter=UserFactory(), item=answers[2], value=1)
    responses = [viewer.get(question.get_absolute_url()) for viewer in viewers]
    assert sum(answers_rendered(response) for response in responses) == 1
    for response in responses:
        assert score_shown(response.content.decode(), answers[2].pk) == "1"
    assert pressed(responses[2].content.decode(), answers[0].pk) == "up"
    assert pressed(responses[1].content.decode(), answers[0].pk) == ""


def test_a_new_answer_is_the_only_one_rendered(question):
    for _ in range(3):
        AnswerFactory(question=question, status=Status.APPROVED)
    viewers = [Client(), login(UserFactory())]
    for viewer in viewers:
        viewer.get(question.get_absolute_url())
    newer = AnswerFactory(question=question, status=Status.PENDING)
    review.approve(moderator=make_moderator(), item=newer)
    responses = [viewer.get(question.get_absolute_url()) for viewer in viewers]
    assert sum(answers_rendered(response) for response in responses) == 1
    assert all(f'id="answer-{newer.pk}"' in response.content.decode() for response in responses)


def test_two_members_see_their_own_votes_and_edit_links_on_the_shared_copy_never_each_others(question):
    first, second = UserFactory(), UserFactory()
    by_first = AnswerFactory(question=question, author=first, status=Status.APPROVED)
    by_second = AnswerFactory(question=question, author=second, status=Status.APPROVED)
    other = AnswerFactory(question=question, status=Status.APPROVED)
    vote(voter=first, item=by_second, value=1)
    vote(voter=first, item=other, value=1)
    vote(voter=second, item=by_first, value=-1)
    vote(voter=second, item=other, value=-1)
    login(UserFactory()).get(question.get_absolute_url())  # a reader builds the shared copies
    first_page = login(first).get(question.get_absolute_url())
    second_response = login(second).get(question.get_absolute_url())
    assert answers_rendered(first_page) == 1  # their own answer; the others are the shared copies
    assert answers_rendered(second_response) == 1
    mine, theirs = first_page.content.decode(), second_response.content.decode()
    edit = "/answers/{}/edit/"
    assert edit.format(by_first.pk) in mine and edit.format(by_second.pk) not in mine
    assert edit.format(by_second.pk) in theirs and edit.format(by_first.pk) not in theirs
    assert (pressed(mine, by_second.pk), pressed(mine, other.pk)) == ("up", "up")
    assert (pressed(theirs, by_first.pk), pressed(theirs, other.pk)) == ("down", "down")
    for html in (mine, theirs):
        assert page_cache.viewer_slot() not in html and page_cache.csrf_placeholder() not in html


def test_visitors_see_no_flag_or_accept_forms_and_members_their_own_ones(question):
    answer = AnswerFactory(question=question, status=Status.APPROVED)
    accept = f'action="/answers/{answer.pk}/accept/"'
    visitor = Client().get(question.get_absolute_url()).content.decode()  # builds the shared copy
    reader = login(UserFactory()).get(question.get_absolute_url()).content.decode()
    asker = login(question.author).get(question.get_absolute_url()).content.decode()
    assert 'data-flag-for="answer-' not in visitor and accept not in visitor
    assert f'data-flag-for="answer-{answer.pk}"' in reader and accept not in reader
    assert accept in asker


def test_a_pending_edit_never_reaches_the_shared_copy(question, settings):
    settings.FORUM_REVIEW_EDITS = True
    author = UserFactory()
    answer = AnswerFactory(question=question, author=author, status=Status.APPROVED, body="Approved words")
    services.edit_answer(editor=author, answer=answer, body="Proposed words awaiting review")
    assert "Proposed words awaiting review" in login(author).get(question.get_absolute_url()).content.decode()
    for client in (login(UserFactory()), Client()):
        html = client.get(question.get_absolute_url()).content.decode()
        assert "Approved words" in html and "Proposed words awaiting review" not in html


def _rebuild_in_progress(question) -> str:
    """Hold the page's rebuild lock, as another request rendering it would."""
    key = page_cache.LOCK_PREFIX + page_cache._path_key(question.get_absolute_url())
    assert cache.add(key, 1, 30)
    return key


def test_a_visitor_during_a_rebuild_gets_the_previous_copy(question):
    answer = AnswerFactory(question=question, status=Status.APPROVED)
    visitor = Client()
    assert score_shown(visitor.get(question.get_absolute_url()).content.decode(), answer.pk) == "0"
    vote(voter=UserFactory(), item=answer, value=1)
    lock = _rebuild_in_progress(question)
    during = visitor.get(question.get_absolute_url())
    assert "page-cache;desc=previous" in during["Server-Timing"]
    assert score_shown(during.content.decode(), answer.pk) == "0"
    assert page_cache.csrf_placeholder() not in during.content.decode()
    cache.delete(lock)  # the rebuild is done
    assert score_shown(visitor.get(question.get_absolute_url()).content.decode(), answer.pk) == "1"


def test_content_taken_away_is_never_served_from_the_previous_copy(question):
    answer = AnswerFactory(question=question, status=Status.APPROVED, body="Soon hidden words")
    visitor = Client()
    assert "Soon hidden words" in visitor.get(question.get_absolute_url()).content.decode()
    moderation.hide(moderator=make_moderator(), item=answer, reason="Not advice")
    _rebuild_in_progress(question)
    during = visitor.get(question.get_absolute_url())
    assert "Soon hidden words" not in during.content.decode()

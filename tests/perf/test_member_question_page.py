"""A member's question page reads the public answers from the cache (forum.reading.views._public_answers) and only
what is the member's own from the database: their votes and their answers not yet public. These tests
check, with the cache on, that nothing of one member shows on another's page, that a member's pending
answer shows to them alone, and that changes to the answers reach the next page."""

import re

import pytest
from django.test import Client

from forum.models import Status
from forum.moderation import review
from forum.voting.services import vote
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
    review.approve(moderator=make_moderator(), item=pending)
    assert f'id="answer-{pending.pk}"' in page(member, question)


# The whole answer list is shared by the members who neither asked the question nor wrote one of its answers
# (forum.answer_block); the asker and the answers' authors get theirs rendered for them.


def test_readers_share_one_answer_list_with_their_own_votes_pressed_and_their_own_csrf_token(question):
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    readers = [UserFactory() for _ in range(3)]
    vote(voter=readers[0], item=first, value=1)
    vote(voter=readers[1], item=second, value=-1)
    pages = [page(reader, question) for reader in readers]  # the first builds the list, the others reuse it
    assert [pressed(html, "answer", first.pk) for html in pages] == ["up", "", ""]
    assert [pressed(html, "answer", second.pk) for html in pages] == ["", "down", ""]
    tokens = [set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)) for html in pages]
    assert all(tokens) and not (tokens[0] & tokens[1] or tokens[1] & tokens[2])  # each reader their own
    assert all("csrfslot" not in html for html in pages)


def test_the_asker_and_an_answers_author_get_their_own_controls_and_readers_do_not(question):
    answer = question.answers.get()
    reader = UserFactory()
    page(reader, question)  # the shared list exists before the others come
    edit = f"/answers/{answer.pk}/edit/"
    accept = f'action="/answers/{answer.pk}/accept/"'
    assert edit in page(answer.author, question)
    assert accept in page(question.author, question)
    reader_page = page(reader, question)
    assert edit not in reader_page and accept not in reader_page
    assert 'class="flag' in reader_page  # readers can flag the answer


def test_the_shared_list_follows_votes_and_new_answers(question):
    answer = question.answers.get()
    reader, voter = UserFactory(), UserFactory()
    page(reader, question)
    vote(voter=voter, item=answer, value=1)
    assert f'data-score-for="answer-{answer.pk}" aria-label="Score">1<' in page(reader, question)
    newer = AnswerFactory(question=question, status=Status.PENDING)
    review.approve(moderator=make_moderator(), item=newer)
    assert f'id="answer-{newer.pk}"' in page(reader, question)


def test_a_reader_can_vote_with_the_token_on_the_shared_list(question):
    answer = question.answers.get()
    page(UserFactory(), question)  # someone else built the shared list
    reader = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = client.get(question.get_absolute_url()).content.decode()
    form = re.search(
        rf'action="/votes/answer/{answer.pk}/".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
    )
    response = client.post(
        f"/votes/answer/{answer.pk}/", {"value": "up", "csrfmiddlewaretoken": form.group(1)}
    )
    assert response.status_code == 302
    assert pressed(page(reader, question), "answer", answer.pk) == "up"

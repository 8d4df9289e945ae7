"""Votes at the HTTP level: up, down, again to remove, the other way to switch; never on your own post;
visitors log in first; htmx gets the widget back, plain forms go back to the post. Exact under concurrency."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from accounts.models import User
from community.live import events
from forum.models import Answer, Question, Status, Vote
from forum.voting import services as voting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def vote_url(item):
    return reverse("forum:vote", args=[item.kind_name, item.pk])


def score_of(item):
    return type(item).objects.values_list("score", flat=True).get(pk=item.pk)


def test_member_votes_an_answer_up_and_the_score_rises(member_client, member):
    answer = AnswerFactory()
    response = member_client.post(vote_url(answer), {"value": "up"})
    assert response.status_code == 302
    assert score_of(answer) == 1
    assert Vote.objects.get().value == Vote.UP
    assert Vote.objects.get().voter == member


def test_voting_the_same_way_again_removes_the_vote(member_client):
    answer = AnswerFactory()
    member_client.post(vote_url(answer), {"value": "up"})
    member_client.post(vote_url(answer), {"value": "up"})
    assert score_of(answer) == 0
    assert not Vote.objects.exists()


def test_voting_the_other_way_switches_the_vote(member_client):
    answer = AnswerFactory()
    member_client.post(vote_url(answer), {"value": "up"})
    member_client.post(vote_url(answer), {"value": "down"})
    assert score_of(answer) == -1
    assert Vote.objects.get().value == Vote.DOWN


def test_questions_take_votes_too(member_client, client, other_member):
    question = QuestionFactory()
    member_client.post(vote_url(question), {"value": "up"})
    client.force_login(other_member)
    client.post(vote_url(question), {"value": "up"})
    assert score_of(question) == 2
    assert Vote.objects.filter(question=question).count() == 2


def test_one_vote_per_member_however_often_they_click(member_client):
    answer = AnswerFactory()
    for value in ["up", "down", "down", "up", "up", "down"]:
        member_client.post(vote_url(answer), {"value": value})
    # up, switch to down, remove, up, remove, down
    assert Vote.objects.count() == 1
    assert score_of(answer) == -1


def test_member_cannot_vote_on_their_own_answer_and_is_told_why(client, member):
    answer = AnswerFactory(author=member)
    client.force_login(member)
    response = client.post(vote_url(answer), {"value": "up"})
    assert response.status_code == 403
    assert "You can&#x27;t vote on your own answer." in response.content.decode()
    htmx = client.post(vote_url(answer), {"value": "up"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403
    assert "vote-error" in htmx.content.decode()
    assert score_of(answer) == 0
    assert not Vote.objects.exists()


def test_own_question_shows_disabled_vote_buttons(client, member):
    question = QuestionFactory(author=member)
    client.force_login(member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "You can't vote on your own question" in page
    assert reverse("forum:vote", args=["question", question.pk]) not in page


def test_visitor_is_sent_to_log_in_and_back_to_the_answer(client):
    answer = AnswerFactory()
    response = client.post(vote_url(answer), {"value": "up", "next": answer.question.get_absolute_url()})
    assert response.status_code == 302
    login = reverse("account_login")
    assert response["Location"].startswith(login + "?next=")
    assert "%2Fq%2F" in response["Location"]
    htmx = client.post(vote_url(answer), {"value": "up"}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(login + "?next=")
    assert not Vote.objects.exists()


def test_plain_form_vote_goes_back_to_the_post_anchor(member_client):
    answer = AnswerFactory()
    page = answer.question.get_absolute_url()
    response = member_client.post(vote_url(answer), {"value": "up", "next": f"{page}#answer-{answer.pk}"})
    assert response["Location"] == f"{page}#answer-{answer.pk}"


def test_next_pointing_elsewhere_is_ignored(member_client):
    answer = AnswerFactory()
    response = member_client.post(vote_url(answer), {"value": "up", "next": "https://evil.example/"})
    assert response["Location"] == answer.get_absolute_url()


def test_htmx_vote_returns_the_widget_with_the_new_score_and_pressed_button(member_client):
    answer = AnswerFactory()
    response = member_client.post(vote_url(answer), {"value": "up"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="vote" id="vote-answer-')
    assert f'data-score-for="answer-{answer.pk}" aria-label="Score">1<' in html
    assert 'value="up" class="vote-button vote-up" aria-pressed="true"' in html
    assert 'value="down" class="vote-button vote-down" aria-pressed="false"' in html


def test_question_page_shows_the_members_own_votes(member_client, member):
    question = QuestionFactory()
    liked, disliked = AnswerFactory(question=question), AnswerFactory(question=question)
    Vote.objects.create(voter=member, answer=liked, value=Vote.UP)
    Vote.objects.create(voter=member, answer=disliked, value=Vote.DOWN)
    Vote.objects.create(voter=member, question=question, value=Vote.UP)
    page = member_client.get(question.get_absolute_url()).content.decode()
    liked_widget = page.split(f'id="vote-answer-{liked.pk}"')[1].split("</form>")[0]
    disliked_widget = page.split(f'id="vote-answer-{disliked.pk}"')[1].split("</form>")[0]
    question_widget = page.split(f'id="vote-question-{question.pk}"')[1].split("</form>")[0]
    assert 'vote-up" aria-pressed="true"' in liked_widget
    assert 'vote-down" aria-pressed="true"' in disliked_widget
    assert 'vote-up" aria-pressed="true"' in question_widget


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.HIDDEN])
def test_unpublished_answers_cannot_be_voted_on(member_client, status):
    answer = AnswerFactory(status=status)
    response = member_client.post(vote_url(answer), {"value": "up"})
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_moderator_cannot_vote_on_a_pending_answer_they_can_see(moderator_client):
    answer = AnswerFactory(status=Status.PENDING)
    response = moderator_client.post(vote_url(answer), {"value": "up"})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_a_vote_needs_a_direction(member_client):
    answer = AnswerFactory()
    assert member_client.post(vote_url(answer), {"value": "sideways"}).status_code == 400
    assert member_client.get(vote_url(answer)).status_code == 405
    assert not Vote.objects.exists()


def test_vote_announces_the_new_score_on_the_question_stream(member_client, monkeypatch):

    sent = []
    monkeypatch.setattr(
        events, "publish", lambda stream, type, data=None, **kw: sent.append((stream, type, data))
    )
    answer = AnswerFactory()
    member_client.post(vote_url(answer), {"value": "up"})
    assert (
        f"question.{answer.question_id}",
        "score",
        {"kind": "answer", "id": answer.pk, "score": 1},
    ) in sent


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(
    not settings.IS_POSTGRES,
    reason="Needs PostgreSQL: SQLite serialises every writer, so there is no concurrency to test.",
)
# transaction=True: the voters' threads need committed rows; serialized_rollback restores the seeded rows
# (categories, badges, the Moderators group) that the flush after a transactional test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hundred_members_voting_at_once_leave_an_exact_score():
    """100 members vote on one answer from their own PostgreSQL connections, released together by a barrier.
    The server's max_connections (100 here, shared with other clients) caps how many transactions can be
    open at the same instant, so a semaphore lets up to MAX_OPEN in at once; the rest queue on it and
    start the moment a slot frees, all contending for the same answer row."""

    voters = [UserFactory() for _ in range(100)]
    answer = AnswerFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity")
        free = cursor.fetchone()[0]
    max_open = max(10, min(len(voters), free - 10))
    slots = threading.BoundedSemaphore(max_open)
    barrier = threading.Barrier(len(voters))
    errors = []

    def cast(voter_pk):
        try:
            voter = User.objects.get(pk=voter_pk)
            target = Answer.objects.get(pk=answer.pk)
            connections["default"].close()  # hold no connection while waiting for the others
            barrier.wait(timeout=60)
            with slots:
                voting.vote(voter=voter, item=target, value=Vote.UP)
                connections["default"].close()
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
            connections["default"].close()

    threads = [threading.Thread(target=cast, args=(voter.pk,)) for voter in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    answer.refresh_from_db()
    assert Vote.objects.filter(answer=answer).count() == 100
    assert answer.score == 100
    assert User.objects.get(pk=answer.author_id).reputation == 100 * 10
    assert Question.objects.get(pk=answer.question_id).score == 0

"""Voting on the live socket, as the page's buttons do when it is open: the same rules as the form (one vote
per member, again to remove, the other way to switch, never on one's own or unpublished posts, sanctions and
rate limits apply), an answer once the vote is committed, the new score live for everyone on the page, and
exact scores when many members vote at once (their votes are written in batches: forum.voting.queue)."""

import asyncio
import html
import json
import logging

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from accounts.badges import SCORE_FOR_BADGE
from accounts.models import BadgeAward, User
from community.notifications.models import Notification
from forum.models import Answer, Sanction, Status, Vote
from forum.moderation import sanctions
from forum.voting import services as voting
from tests.factories import AnswerFactory, UserFactory, make_moderator
from tests.live.conftest import drain, open_socket, receive, receive_until, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def send_vote(socket, item, value: str, ref: int = 1, kind: str = "answer") -> dict:
    await socket.send_to(
        text_data=json.dumps({"vote": {"kind": kind, "id": item.pk, "value": value}, "ref": ref})
    )
    return await receive(socket, timeout=5)


def score_and_rows(answer) -> tuple[int, int]:
    score = Answer.objects.values_list("score", flat=True).get(pk=answer.pk)
    rows = Vote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"] or 0
    return score, rows


@pytest.fixture
def answer(db):
    return AnswerFactory(author=UserFactory(display_name="Helpful Hana"))


async def test_a_member_votes_up_again_and_the_other_way_and_the_page_sees_each_score(answer):
    member = await run(UserFactory)()
    reader = await open_socket(None)
    await subscribe(reader, f"question.{answer.question_id}")
    socket = await open_socket(member)

    reply = await send_vote(socket, answer, "up", ref=7)
    assert reply == {"voted": {"kind": "answer", "id": answer.pk, "score": 1, "my_vote": 1}, "ref": 7}
    assert (await receive_until(reader, "score"))["data"] == {"kind": "answer", "id": answer.pk, "score": 1}
    assert await run(Vote.objects.filter(voter=member, answer=answer, value=1).exists)()
    author = await run(User.objects.get)(pk=answer.author_id)
    assert author.reputation == 10  # an up vote on an answer (accounts.reputation)

    assert (await send_vote(socket, answer, "down"))["voted"] == {
        "kind": "answer",
        "id": answer.pk,
        "score": -1,
        "my_vote": -1,
    }
    assert (await receive_until(reader, "score"))["data"]["score"] == -1
    assert (await send_vote(socket, answer, "down"))["voted"]["my_vote"] == 0  # again: removed
    assert (await receive_until(reader, "score"))["data"]["score"] == 0
    assert await run(score_and_rows)(answer) == (0, 0)
    assert (await run(User.objects.get)(pk=answer.author_id)).reputation == 0
    await socket.disconnect()
    await reader.disconnect()


async def test_questions_take_socket_votes_too(answer):
    question = answer.question
    socket = await open_socket(await run(UserFactory)())
    reply = await send_vote(socket, question, "up", kind="question")
    assert reply["voted"] == {"kind": "question", "id": question.pk, "score": 1, "my_vote": 1}
    await socket.disconnect()


@pytest.mark.parametrize(
    "case, error",
    [
        ("visitor", "Log in to vote."),
        ("own answer", "You can't vote on your own answer."),
        ("pending answer", "Only published answers can be voted on."),
        ("hidden answer", "Only published answers can be voted on."),
        ("unknown answer", "Only published answers can be voted on."),
        ("suspended member", "Your account is suspended until"),
    ],
)
async def test_refused_votes_are_explained_and_change_nothing(answer, case, error):
    member = await run(UserFactory)()
    target = answer
    if case == "own answer":
        member = await run(User.objects.get)(pk=answer.author_id)
    elif case in ("pending answer", "hidden answer"):
        status = Status.PENDING if case == "pending answer" else Status.HIDDEN
        target = await run(AnswerFactory)(question=answer.question, status=status)
    elif case == "unknown answer":
        target = Answer(pk=10**9)
    elif case == "suspended member":
        moderator = await run(make_moderator)()
        await run(sanctions.sanction)(
            moderator=moderator, member=member, kind="suspend", reason="Spam", days=3
        )
    reader = await open_socket(None)
    await subscribe(reader, f"question.{answer.question_id}")
    socket = await open_socket(None if case == "visitor" else member)
    reply = await send_vote(socket, target, "up", ref=3)
    assert reply["ref"] == 3
    assert reply["vote_refused"]["id"] == target.pk
    assert reply["vote_refused"]["error"].startswith(error)
    assert not await run(Vote.objects.exists)()
    assert [m for m in await drain(reader) if m.get("event") == "score"] == []
    await socket.disconnect()
    await reader.disconnect()


async def test_malformed_votes_are_ignored_with_a_log_line_and_the_socket_keeps_serving(answer, caplog):
    socket = await open_socket(await run(UserFactory)())
    bad = [
        {"vote": "up"},
        {"vote": {"kind": "answer", "id": "12", "value": "up"}},
        {"vote": {"kind": "answer", "id": True, "value": "up"}},
        {"vote": {"kind": "comment", "id": answer.pk, "value": "up"}},
        {"vote": {"kind": "answer", "id": answer.pk, "value": "sideways"}},
        {"vote": {"kind": "answer", "id": -4, "value": "up"}},
        {"vote": {"kind": "answer"}},
    ]
    with caplog.at_level(logging.INFO, logger="forum.live.consumers"):
        for message in bad:
            await socket.send_to(text_data=json.dumps(message))
        assert await drain(socket) == []
    assert caplog.text.count("Ignored a malformed vote message.") == len(bad)
    assert (await send_vote(socket, answer, "up"))["voted"]["score"] == 1
    await socket.disconnect()


async def test_the_vote_rate_limit_applies_on_the_socket(answer, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "vote": "2/h"}
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "2/h"}
    others = [await run(AnswerFactory)(question=answer.question) for _ in range(2)]
    socket = await open_socket(await run(UserFactory)())
    assert "voted" in await send_vote(socket, answer, "up")
    assert "voted" in await send_vote(socket, others[0], "up")
    refused = await send_vote(socket, others[1], "up")
    assert refused["vote_refused"]["error"].startswith(
        "You have reached the limit of 2 votes per 60 minutes."
    )
    assert await run(Vote.objects.count)() == 2
    await socket.disconnect()


async def test_many_members_voting_at_once_leave_exact_scores_written_in_batches(answer, monkeypatch):
    batches = []
    original = voting.vote_many

    def counting(ballots, **kwargs):
        batches.append(len(ballots))
        return original(ballots, **kwargs)

    monkeypatch.setattr("forum.voting.queue.vote_many", counting)
    second = await run(AnswerFactory)(question=answer.question)
    members = [await run(UserFactory)() for _ in range(12)]
    sockets = [await open_socket(m) for m in members]

    async def voter(index, socket):
        last = {}
        for round_ in range(6):
            target = answer if (index + round_) % 2 else second
            reply = await send_vote(socket, target, "up" if (index * round_) % 3 else "down", ref=round_)
            last[target.pk] = reply["voted"]["my_vote"]
        return last

    finals = await asyncio.gather(*(voter(i, s) for i, s in enumerate(sockets)))
    for target in (answer, second):
        score, rows = await run(score_and_rows)(target)
        assert score == rows
        for member, last in zip(members, finals, strict=True):
            row = await run(
                Vote.objects.filter(voter=member, answer=target).values_list("value", flat=True).first
            )()
            assert (row or 0) == last[target.pk]
    assert sum(batches) == 12 * 6
    assert max(batches) > 1  # votes that arrived together were written together
    for socket in sockets:
        await socket.disconnect()


def test_one_batch_applies_each_members_ballots_in_order_and_refuses_only_the_bad_ones(answer):
    member, other = UserFactory(), UserFactory()
    author = User.objects.get(pk=answer.author_id)
    pending = AnswerFactory(question=answer.question, status=Status.PENDING)
    ballots = [
        voting.Ballot(voter=member, kind="answer", item_id=answer.pk, value=1),
        voting.Ballot(voter=author, kind="answer", item_id=answer.pk, value=1),  # own answer
        voting.Ballot(voter=other, kind="answer", item_id=answer.pk, value=-1),
        voting.Ballot(voter=member, kind="answer", item_id=answer.pk, value=1),  # again: removed
        voting.Ballot(voter=other, kind="answer", item_id=pending.pk, value=1),  # not published
        voting.Ballot(voter=member, kind="answer", item_id=answer.pk, value=-1),  # then down
    ]
    results = voting.vote_many(ballots)
    assert [r.my_vote for r in results] == [1, 0, -1, 0, 0, -1]
    assert [bool(r.error) for r in results] == [False, True, False, False, True, False]
    assert {r.score for r in results if not r.error} == {-2}
    assert score_and_rows(answer) == (-2, -2)
    assert Vote.objects.count() == 2


def test_socket_votes_earn_the_author_their_badge_with_a_notification(answer):

    voters = [UserFactory() for _ in range(SCORE_FOR_BADGE)]
    results = voting.vote_many(
        [voting.Ballot(voter=v, kind="answer", item_id=answer.pk, value=1) for v in voters]
    )
    assert {r.score for r in results} == {SCORE_FOR_BADGE}
    assert BadgeAward.objects.filter(user_id=answer.author_id, badge__code="helpful").count() == 1
    assert Notification.objects.filter(recipient_id=answer.author_id, kind="badge").exists()
    voting.vote_many([voting.Ballot(voter=UserFactory(), kind="answer", item_id=answer.pk, value=1)])
    assert BadgeAward.objects.filter(user_id=answer.author_id, badge__code="helpful").count() == 1  # once


def _form_vote(member, target, kind: str = "answer"):
    """The page's form (htmx) voting up: (status, text of the answer)."""
    client = Client()
    client.force_login(member)
    response = client.post(
        reverse("forum:vote", args=[kind, target.pk]), {"value": "up"}, HTTP_HX_REQUEST="true"
    )
    return response.status_code, html.unescape(response.content.decode())


async def _refusal_case(answer, case: str, settings):
    """A member and a post such that the member's up vote is refused for `case`."""
    member = await run(UserFactory)()
    target = answer
    if case == "own answer":
        member = await run(User.objects.get)(pk=answer.author_id)
    elif case == "own pending answer":  # the form shows it to its author, so the engine decides
        target = await run(AnswerFactory)(question=answer.question, author=member, status=Status.PENDING)
    elif case == "pending answer":
        target = await run(AnswerFactory)(question=answer.question, status=Status.PENDING)
    elif case == "suspended member":
        await run(sanctions.sanction)(
            moderator=await run(make_moderator)(), member=member, kind="suspend", reason="Spam", days=3
        )
    elif case == "rate limited":
        settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "vote": "1/h"}
        settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "1/h"}
        first = await run(AnswerFactory)(question=answer.question)
        await run(voting.vote_many)([voting.Ballot(voter=member, kind="answer", item_id=first.pk, value=1)])
    return member, target


@pytest.mark.parametrize("case", ["own answer", "own pending answer", "suspended member", "rate limited"])
async def test_the_form_and_the_socket_word_each_refusal_the_same(answer, case, settings):
    member, target = await _refusal_case(answer, case, settings)
    socket = await open_socket(member)
    socket_error = (await send_vote(socket, target, "up"))["vote_refused"]["error"]
    await socket.disconnect()
    status, form_text = await run(_form_vote)(member, target)
    assert status in (403, 429)
    assert socket_error in form_text
    assert not await run(Vote.objects.filter(answer=target).exists)()


@pytest.mark.parametrize("path", ["socket", "form"])
@pytest.mark.parametrize("case", ["own answer", "pending answer", "suspended member"])
async def test_a_refused_vote_spends_no_rate_limit_budget(answer, case, path, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "vote": "1/h"}
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "1/h"}
    member, target = await _refusal_case(answer, case, settings)
    other = await run(AnswerFactory)(question=answer.question)
    if path == "socket":
        socket = await open_socket(member)
        assert "vote_refused" in await send_vote(socket, target, "up")
        await socket.disconnect()
    else:
        assert (await run(_form_vote)(member, target))[0] in (403, 404)
    if case == "suspended member":  # lifted: their budget is whole
        await run(Sanction.objects.all().delete)()
    socket = await open_socket(member)
    assert "voted" in await send_vote(socket, other, "up")
    await socket.disconnect()

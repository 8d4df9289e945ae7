"""Who may follow which stream, and what each stream carries: WebSocket tests through the real ASGI stack
(origin check, session auth, consumer) with channels.testing.WebsocketCommunicator."""

import logging

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from community.asgi import application
from forum.live import announce as live
from forum.models import Answer, Question, Status
from forum.moderation import actions as moderation
from forum.moderation import review
from forum.posting import services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator
from tests.live.conftest import drain, open_socket, receive, receive_until, run, subscribe

# transaction=True: the consumer and the services run in other threads; serialized_rollback keeps the
# categories and groups made by data migrations.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def people(db):
    author = UserFactory(display_name="Asker")
    return {
        "anonymous": None,
        "member": UserFactory(display_name="Reader"),
        "author": author,
        "moderator": make_moderator(display_name="Morgan"),
    }


def _streams(people):
    approved = QuestionFactory(author=people["author"])
    pending = QuestionFactory(author=people["author"], status=Status.PENDING)
    hidden = QuestionFactory(author=people["author"], status=Status.HIDDEN)
    deleted = QuestionFactory(author=people["author"], status=Status.DELETED)
    return {
        "approved question": f"question.{approved.pk}",
        "pending question": f"question.{pending.pk}",
        "hidden question": f"question.{hidden.pk}",
        "deleted question": f"question.{deleted.pk}",
        "moderation": "moderation",
        "author's notifications": f"user.{people['author'].pk}",
        "home feed": "feed.home",
        "category feed": "feed.category.mental-health",
    }


# stream -> the roles that may follow it
ALLOWED = {
    "approved question": {"anonymous", "member", "author", "moderator"},
    "pending question": {"author", "moderator"},
    "hidden question": {"author", "moderator"},
    "deleted question": {"moderator"},  # gone for its author too
    "moderation": {"moderator"},
    "author's notifications": {"author"},
    "home feed": {"anonymous", "member", "author", "moderator"},
    "category feed": {"anonymous", "member", "author", "moderator"},
}


@pytest.mark.parametrize("role", ["anonymous", "member", "author", "moderator"])
async def test_each_role_may_follow_exactly_the_streams_it_may_see(people, role):
    streams = await run(_streams)(people)
    socket = await open_socket(people[role])
    answers = await subscribe(socket, *streams.values())
    by_stream = {a.get("subscribed") or a.get("denied"): "subscribed" in a for a in answers}
    expected = {streams[name]: role in roles for name, roles in ALLOWED.items()}
    assert by_stream == expected
    await socket.disconnect()


async def test_a_denied_stream_receives_nothing_afterwards(people):
    streams = await run(_streams)(people)
    socket = await open_socket(people["member"])
    assert await subscribe(socket, "moderation") == [{"denied": "moderation"}]
    pending_answer = await run(AnswerFactory)(status=Status.PENDING, question=await run(QuestionFactory)())
    await run(lambda: __import__("forum.live.announce", fromlist=["x"]).announce_pending(pending_answer))()
    assert await drain(socket) == []
    assert streams  # the fixture made the other streams too
    await socket.disconnect()


async def test_cross_origin_handshake_is_refused():

    for origin in (b"http://evil.example", b"https://testserver.evil.example"):
        socket = WebsocketCommunicator(
            application, "/ws/live/", headers=[(b"host", b"testserver"), (b"origin", origin)]
        )
        connected, _ = await socket.connect()
        assert not connected
    same_origin = await open_socket(origin=b"http://testserver")
    await same_origin.disconnect()


async def test_handshake_without_origin_is_refused():

    socket = WebsocketCommunicator(application, "/ws/live/", headers=[(b"host", b"testserver")])
    connected, _ = await socket.connect()
    assert not connected


# --- What public streams never carry ------------------------------------------------------------------------


async def _public_sockets(question):
    anonymous = await open_socket()
    await subscribe(
        anonymous, f"question.{question.pk}", "feed.home", f"feed.category.{question.category.slug}"
    )
    return anonymous


async def test_pending_answer_reaches_moderators_but_no_public_stream(people):
    question = await run(QuestionFactory)(author=people["author"])
    public = await _public_sockets(question)
    moderators = await open_socket(people["moderator"])
    await subscribe(moderators, "moderation")

    body = "Magnesium glycinate before bed helped me."
    await run(services.answer)(author=people["member"], question=question, body=body, accepted_terms=True)

    queued = await receive_until(moderators, "queue.new")
    assert body in queued["html"]
    assert queued["data"]["pending_count"] == 1
    assert await drain(public) == []
    await public.disconnect()
    await moderators.disconnect()


async def test_pending_question_reaches_no_feed(people):
    anonymous = await open_socket()
    await subscribe(anonymous, "feed.home", "feed.category.mental-health")

    await run(services.ask)(
        author=people["member"],
        title="Is it normal to feel dizzy after standing up?",
        body="It happens every morning.",
        category=await run(category)(),
        accepted_terms=True,
    )
    assert await drain(anonymous) == []
    await anonymous.disconnect()


async def test_rejected_answer_is_told_to_its_author_only(people):
    question = await run(QuestionFactory)(author=people["author"])
    pending = await run(AnswerFactory)(author=people["member"], question=question, status=Status.PENDING)
    public = await _public_sockets(question)
    author_of_answer = await open_socket(people["member"])
    await subscribe(author_of_answer, f"user.{people['member'].pk}")

    await run(review.reject)(moderator=people["moderator"], item=pending, reason="Please add a source.")

    told = await receive_until(author_of_answer, "notification")
    assert "Please add a source." in told["data"]["text"]
    assert told["data"]["unread"] == 1
    assert await drain(public) == []
    await public.disconnect()
    await author_of_answer.disconnect()


async def test_hidden_answer_disappears_without_its_text_being_sent(people):
    question = await run(QuestionFactory)(author=people["author"])
    answer = await run(AnswerFactory)(question=question, body="Try valerian tea every night.")
    public = await _public_sockets(question)

    await run(moderation.hide)(moderator=people["moderator"], item=answer, reason="Unsafe advice.")

    messages = await drain(public)
    assert [m["event"] for m in messages] == ["answer.removed"]
    assert messages[0]["data"] == {"answer_id": answer.pk, "answer_count": 0}
    assert "valerian" not in str(messages)
    await public.disconnect()


async def test_announcing_a_non_public_item_is_refused(people, caplog):

    question = await run(QuestionFactory)()
    public = await _public_sockets(question)
    for status in (Status.PENDING, Status.REJECTED, Status.HIDDEN):
        answer = await run(AnswerFactory)(question=question, status=status, body=f"secret {status}")
        await run(live.announce_public)(answer)
        await run(live.announce_updated)(answer)
    assert await drain(public) == []
    assert "Refused to announce" in caplog.text
    await public.disconnect()


# --- What public streams carry --------------------------------------------------------------------------------


async def test_approved_answer_arrives_rendered_once_for_everyone(people):
    question = await run(QuestionFactory)(author=people["author"])
    pending = await run(AnswerFactory)(author=people["member"], question=question, status=Status.PENDING)
    sockets = [await open_socket(people[role]) for role in ("anonymous", "member", "author", "moderator")]
    for socket in sockets:
        await subscribe(socket, f"question.{question.pk}")

    await run(review.approve)(moderator=people["moderator"], item=pending)

    received = [await receive_until(socket, "answer.new") for socket in sockets]
    assert all(r == received[0] for r in received)  # one fragment, byte for byte, for every viewer
    html = received[0]["html"]
    assert f'id="answer-{pending.pk}"' in html
    assert pending.body in html
    assert "csrfmiddlewaretoken" not in html and "Awaiting review" not in html
    assert "data-owner-only hidden" in html  # the author's Edit link is revealed by the browser only
    assert received[0]["data"]["answer_count"] == 1
    for socket in sockets:
        await socket.disconnect()


async def test_approved_question_is_announced_on_its_feeds(people):
    question = await run(QuestionFactory)(author=people["author"], status=Status.PENDING)
    await run(question.tags.add)("sleep")
    anonymous = await open_socket()
    await subscribe(
        anonymous, "feed.home", "feed.category.mental-health", "feed.tag.sleep", "feed.category.nutrition"
    )

    await run(review.approve)(moderator=people["moderator"], item=question)

    messages = await drain(anonymous)
    assert sorted(m["stream"] for m in messages) == [
        "feed.category.mental-health",
        "feed.home",
        "feed.tag.sleep",
    ]
    assert {m["event"] for m in messages} == {"question.new"}
    assert messages[0]["data"]["question_id"] == question.pk
    await anonymous.disconnect()


async def test_question_removed_drops_the_stream_for_members_but_not_the_author_or_moderators(people):
    question = await run(QuestionFactory)(author=people["author"])
    sockets = {}
    for role in ("anonymous", "member", "author", "moderator"):
        sockets[role] = await open_socket(people[role])
        await subscribe(sockets[role], f"question.{question.pk}")

    await run(moderation.hide)(moderator=people["moderator"], item=question, reason="Duplicate of another.")
    for role, socket in sockets.items():
        removed = await receive_until(socket, "question.removed")
        assert removed["data"] == {"question_id": question.pk}
        if role in ("anonymous", "member"):
            assert await receive(socket) == {"unsubscribed": f"question.{question.pk}"}

    # Later events on the question reach only those who may still see it.
    answer = await run(AnswerFactory)(question=question)

    await run(live.announce_updated)(answer)
    for role, socket in sockets.items():
        got = [m for m in await drain(socket) if m.get("event") == "answer.updated"]
        assert bool(got) == (role in ("author", "moderator")), role
        await socket.disconnect()


async def test_question_deleted_drops_the_stream_for_its_author_too_but_not_for_moderators(people):
    question = await run(QuestionFactory)(author=people["author"])
    sockets = {}
    for role in ("author", "moderator"):
        sockets[role] = await open_socket(people[role])
        await subscribe(sockets[role], f"question.{question.pk}")

    await run(moderation.soft_delete)(moderator=people["moderator"], item=question, reason="Spam.")
    for socket in sockets.values():
        await receive_until(socket, "question.removed")
    assert await receive(sockets["author"]) == {"unsubscribed": f"question.{question.pk}"}

    answer = await run(AnswerFactory)(question=question)

    await run(live.announce_updated)(answer)
    for role, socket in sockets.items():
        got = [m for m in await drain(socket) if m.get("event") == "answer.updated"]
        assert bool(got) == (role == "moderator"), role
        await socket.disconnect()


async def test_moderators_see_who_decided_an_item(people):
    pending = await run(QuestionFactory)(status=Status.PENDING)
    other = await run(make_moderator)(display_name="Alex")
    watching = await open_socket(other)
    await subscribe(watching, "moderation")

    await run(review.approve)(moderator=people["moderator"], item=pending)

    decided = await receive_until(watching, "queue.decided")
    assert decided["data"]["by"] == "Morgan"
    assert decided["data"]["status"] == "approved"
    assert decided["data"]["pending_count"] == 0
    await watching.disconnect()


# --- Bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"bytes_data": b"\x00\x01binary"},
        {"text_data": "x" * 5000},
        {"text_data": "{not json"},
        {"text_data": '"just a string"'},
        {"text_data": '{"subscribe": "feed.home"}'},
        {"text_data": '{"subscribe": ["feed.home"], "since": [1, 2]}'},
        {"text_data": '{"hello": "world"}'},
        {"text_data": '{"subscribe": [{"a": 1}, 42, "../../etc", "question.abc"]}'},
    ],
    ids=[
        "binary",
        "oversized",
        "invalid-json",
        "not-an-object",
        "subscribe-not-list",
        "since-not-object",
        "unknown",
        "junk-streams",
    ],
)
async def test_malformed_messages_are_ignored_and_the_socket_keeps_serving(bad, caplog):
    caplog.set_level(logging.INFO, logger="forum.live.consumers")
    socket = await open_socket()
    await socket.send_to(**bad)
    assert await socket.receive_nothing(timeout=0.2)
    assert await subscribe(socket, "feed.home") == [{"subscribed": "feed.home", "seq": 0}]
    assert "Ignored" in caplog.text
    await socket.disconnect()


async def test_a_socket_follows_at_most_twenty_streams():
    socket = await open_socket()
    streams = [f"feed.tag.t{i}" for i in range(25)]
    answers = await subscribe(socket, *streams[:20])
    assert len(answers) == 20
    await socket.send_to(text_data=__import__("json").dumps({"subscribe": streams[20:]}))
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


@override_settings(FORUM_EXPERT_ANSWERS_SKIP_REVIEW=True)
async def test_answer_count_in_events_counts_public_answers_only(people):
    question = await run(QuestionFactory)()
    await run(AnswerFactory)(question=question, status=Status.PENDING)
    socket = await open_socket()
    await subscribe(socket, f"question.{question.pk}")
    await run(services.answer)(
        author=people["moderator"], question=question, body="From a moderator.", accepted_terms=True
    )
    message = await receive_until(socket, "answer.new")
    assert message["data"]["answer_count"] == 1
    assert await run(Answer.objects.filter(question=question).count)() == 2
    assert await run(Question.objects.get)(pk=question.pk)
    await socket.disconnect()

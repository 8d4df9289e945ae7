"""No missed events: sequences, the bounded backlog, replay on reconnect, refetch past the backlog, gaps
filled, and events that leave only after the commit."""

import pytest
from channels.layers import get_channel_layer
from django.db import transaction
from django.urls import reverse

from community.live import backlog, events
from forum.models import Status
from forum.moderation import review
from tests.factories import AnswerFactory, QuestionFactory, make_moderator
from tests.live.conftest import drain, open_socket, receive, receive_until, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _publish(stream, n, start=0):
    for i in range(start, start + n):
        events.publish(stream, "test.event", {"i": i})


async def test_every_event_carries_the_next_sequence_of_its_stream():
    socket = await open_socket()
    await subscribe(socket, "feed.tag.seq", "feed.tag.other")
    await run(_publish)("feed.tag.seq", 3)
    await run(_publish)("feed.tag.other", 1)
    messages = await drain(socket)
    assert [(m["stream"], m["seq"]) for m in messages] == [
        ("feed.tag.seq", 1),
        ("feed.tag.seq", 2),
        ("feed.tag.seq", 3),
        ("feed.tag.other", 1),
    ]
    await socket.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_in_order():
    await run(_publish)("feed.tag.replay", 5)
    socket = await open_socket()
    answers = await subscribe(socket, "feed.tag.replay", since={"feed.tag.replay": 2})
    assert answers == [{"subscribed": "feed.tag.replay", "seq": 2}]
    replayed = [await receive(socket) for _ in range(3)]
    assert [(m["seq"], m["data"]["i"]) for m in replayed] == [(3, 2), (4, 3), (5, 4)]
    # Then it follows live, without duplicates.
    await run(_publish)("feed.tag.replay", 1, start=5)
    assert [(m["seq"], m["data"]["i"]) for m in await drain(socket)] == [(6, 5)]
    await socket.disconnect()


async def test_a_client_past_the_backlog_is_told_to_refetch(settings):
    settings.LIVE_BACKLOG_SIZE = 3
    backlog.reset_backlog()
    await run(_publish)("feed.tag.long", 150)  # Redis trims whole 100-entry nodes (MAXLEN ~), so go past one
    socket = await open_socket()
    await subscribe(socket, "feed.tag.long", since={"feed.tag.long": 1})
    refetch = await receive(socket)
    assert refetch == {
        "stream": "feed.tag.long",
        "seq": 150,
        "event": "refetch",
        "data": {"reason": "backlog"},
    }
    await run(_publish)("feed.tag.long", 1)
    assert [m["seq"] for m in await drain(socket)] == [151]
    await socket.disconnect()


async def test_a_client_ahead_of_the_counter_is_told_to_refetch():
    # What a client sees after Redis lost its data (restart without persistence, or the stream expired).
    await run(_publish)("feed.tag.reset", 2)
    socket = await open_socket()
    await subscribe(socket, "feed.tag.reset", since={"feed.tag.reset": 40})
    assert (await receive(socket))["event"] == "refetch"
    await socket.disconnect()


async def test_a_client_that_missed_nothing_gets_nothing():
    await run(_publish)("feed.tag.same", 2)
    socket = await open_socket()
    await subscribe(socket, "feed.tag.same", since={"feed.tag.same": 2})
    assert await drain(socket) == []
    await socket.disconnect()


async def test_an_event_lost_by_pub_sub_is_filled_in_from_the_backlog():
    socket = await open_socket()
    await subscribe(socket, "feed.tag.gap")
    # Sequence 1 goes into the backlog but its broadcast is lost (pub/sub delivers at most once) ...
    await run(backlog.get_backlog().append)(
        "feed.tag.gap", {"stream": "feed.tag.gap", "event": "lost", "data": {}}
    )
    # ... so when sequence 2 arrives, the consumer notices the gap and replays 1 first.
    await run(_publish)("feed.tag.gap", 1)
    assert [(m["seq"], m["event"]) for m in await drain(socket)] == [(1, "lost"), (2, "test.event")]
    await socket.disconnect()


async def test_after_the_layer_reconnects_every_stream_is_refetched():

    socket = await open_socket()
    await subscribe(socket, "feed.home", "feed.tag.sleep")
    await run(_publish)("feed.home", 1)
    await drain(socket)
    await get_channel_layer().group_send(events.group_name("feed.home"), {"type": "live.resync"})
    messages = await drain(socket)
    assert sorted((m["stream"], m["event"], m["seq"]) for m in messages) == [
        ("feed.home", "refetch", 1),
        ("feed.tag.sleep", "refetch", 0),
    ]
    await socket.disconnect()


async def test_events_leave_only_after_the_commit():
    socket = await open_socket()
    await subscribe(socket, "feed.tag.commit")

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("feed.tag.commit", "test.event", {"i": 1})
            raise RuntimeError

    await run(rolled_back)()
    assert await drain(socket) == []
    assert await run(events.current_seqs)(["feed.tag.commit"]) == {"feed.tag.commit": 0}
    await socket.disconnect()


async def test_the_question_page_renders_its_sequence_so_nothing_between_render_and_subscribe_is_lost(
    client,
):
    question = await run(QuestionFactory)()
    pending = await run(AnswerFactory)(question=question, status=Status.PENDING, body="Walk after dinner.")
    moderator = await run(make_moderator)()
    page = await run(client.get)(question.get_absolute_url())
    assert 'data-stream-seq="0"' in page.content.decode()

    await run(review.approve)(moderator=moderator, item=pending)  # after the render, before the socket

    socket = await open_socket()
    await subscribe(socket, f"question.{question.pk}", since={f"question.{question.pk}": 0})
    replayed = await receive_until(socket, "answer.new")
    assert "Walk after dinner." in replayed["html"]
    page = await run(client.get)(question.get_absolute_url())
    assert 'data-stream-seq="1"' in page.content.decode()
    await socket.disconnect()


async def test_a_member_page_renders_the_sequences_of_the_header_counts(client):
    moderator = await run(make_moderator)()
    await run(client.force_login)(moderator)
    await run(_publish)(f"user.{moderator.pk}", 2)
    await run(_publish)("moderation", 3)
    html = (await run(client.get)(reverse("forum:home"))).content.decode()
    assert f'data-stream="user.{moderator.pk}" data-stream-seq="2"' in html
    assert 'data-stream="moderation" data-stream-seq="3"' in html
    assert 'data-stream="feed.home" data-stream-seq="0"' in html

"""/metrics follows the live layer: a WebSocket connect and close moves the open-sockets gauge, and an
event moves "published" once and "delivered" once per subscribed socket. Through the real ASGI stack."""

import pytest
from channels.testing import WebsocketCommunicator

from community.asgi import application
from forum.posting import services
from tests.factories import QuestionFactory, UserFactory, make_expert
from tests.live.conftest import open_socket, receive_until, run, subscribe
from tests.metrics.helpers import scrape, value

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def test_a_websocket_connect_and_close_move_the_open_sockets_gauge():
    before = await run(scrape)()
    socket = await open_socket(await run(UserFactory)())
    during = await run(scrape)()
    assert value(during, "hc_websockets_open") == value(before, "hc_websockets_open") + 1
    assert value(during, "hc_websockets_accepted_total") == value(before, "hc_websockets_accepted_total") + 1
    await socket.disconnect()
    after = await run(scrape)()
    assert value(after, "hc_websockets_open") == value(before, "hc_websockets_open")


async def test_a_refused_websocket_is_never_counted_open():
    before = await run(scrape)()
    socket = WebsocketCommunicator(
        application, "/ws/live/", headers=[(b"host", b"testserver"), (b"origin", b"http://evil.example")]
    )
    connected, _ = await socket.connect()
    assert not connected
    after = await run(scrape)()
    assert value(after, "hc_websockets_accepted_total") == value(before, "hc_websockets_accepted_total")
    assert value(after, "hc_websockets_open") == value(before, "hc_websockets_open")


async def test_a_live_event_counts_published_once_and_delivered_per_socket():
    question = await run(QuestionFactory)()
    readers = [await open_socket(None), await open_socket(await run(UserFactory)())]
    for reader in readers:
        await subscribe(reader, f"question.{question.pk}")
    before = await run(scrape)()
    expert = await run(make_expert)()
    await run(services.answer)(
        author=expert, question=question, body="Sleep hygiene first, then see your GP.", accepted_terms=True
    )
    for reader in readers:
        await receive_until(reader, "answer.new")
    after = await run(scrape)()
    published = value(after, "hc_live_events_published_total", event="answer.new") - value(
        before, "hc_live_events_published_total", event="answer.new"
    )
    delivered = value(after, "hc_live_events_delivered_total", event="answer.new") - value(
        before, "hc_live_events_delivered_total", event="answer.new"
    )
    assert (published, delivered) == (1, 2)
    assert "Sleep hygiene" not in after and question.title not in after
    for reader in readers:
        await reader.disconnect()

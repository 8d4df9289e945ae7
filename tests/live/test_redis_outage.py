"""A Redis outage pauses live updates and nothing else: pages, posting and the cache keep working, one
warning is logged, and live updates resume by themselves when Redis is back."""

import asyncio
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from community import redis_health
from community.cache import ResilientRedisCache
from community.live import backlog, events
from community.live.channel_layer import ResilientRedisPubSubChannelLayer
from forum.models import Answer, Status
from forum.moderation import review
from tests.factories import AnswerFactory, QuestionFactory, make_moderator
from tests.live.conftest import drain, open_socket, receive_until, run, subscribe
from tests.live.servers import REDIS_SERVER, PrivateRedis, free_port

DEAD_REDIS = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


@pytest.fixture(autouse=True)
def _fresh_outage_state():
    redis_health._down = False
    yield
    redis_health._down = False
    events._lost.clear()


def _warnings(caplog):
    return [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "community.redis"]


def test_the_cache_degrades_to_a_miss_when_redis_is_down(caplog):
    cache = ResilientRedisCache(
        DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    assert cache.get("nav", "fallback") == "fallback"
    cache.set("nav", [1, 2])
    assert cache.get_or_set("nav", lambda: ["from the database"]) == ["from the database"]
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.add("a", 1) is False
    cache.delete("nav")
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert len(_warnings(caplog)) == 1


DEAD_CACHE = {
    "default": {
        "BACKEND": "community.cache.ResilientRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.django_db
def test_pages_and_posting_keep_working_while_redis_is_down(
    client, member, caplog, django_capture_on_commit_callbacks
):
    question = QuestionFactory()
    client.force_login(member)
    with override_settings(CACHES=DEAD_CACHE, REDIS_URL=DEAD_REDIS):
        backlog.reset_backlog()  # the backlog now points at the dead Redis too
        assert client.get(reverse("forum:home")).status_code == 200
        page = client.get(question.get_absolute_url())
        assert page.status_code == 200
        assert f'data-stream="question.{question.pk}" data-stream-seq=""' in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("forum:answer_create", args=[question.pk]),
                {"body": "Keeping a sleep diary helped me see the pattern.", "accept_terms": "on"},
            )
        assert response.status_code == 302
        assert Answer.objects.filter(question=question, status=Status.PENDING).exists()
        assert len(_warnings(caplog)) == 1
        # Its queue event was lost: moderators' pages get a refetch once Redis answers again.
        assert "moderation" in events._lost
    backlog.reset_backlog()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_streams_that_lost_events_are_told_to_refetch_when_redis_is_back(settings, monkeypatch, caplog):
    monkeypatch.setattr(events, "RETRY_DELAYS", (60,))  # the request path flushes first in this test
    question = await run(QuestionFactory)()
    pending = await run(AnswerFactory)(question=question, status=Status.PENDING)
    moderator = await run(make_moderator)()
    socket = await open_socket()
    await subscribe(socket, f"question.{question.pk}")

    working = backlog.get_backlog()
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = DEAD_CACHE  # Redis is down for everyone: the page cache cannot answer either
    backlog.reset_backlog()
    await run(review.approve)(moderator=moderator, item=pending)  # Redis is down: the approval stands
    assert await run(Answer.objects.filter(pk=pending.pk, status=Status.APPROVED).exists)()
    assert await drain(socket) == []
    assert len(_warnings(caplog)) == 1

    backlog._backlog = working  # Redis is back: the next event flushes the refetch first
    await run(events.publish)("feed.tag.any", "test.event", {})
    refetch = await receive_until(socket, "refetch")
    assert refetch["stream"] == f"question.{question.pk}"
    assert not events._lost
    assert "Redis reachable again" in caplog.text
    await socket.disconnect()


@pytest.mark.slow
@pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary")
async def test_the_channel_layer_reconnects_and_asks_its_consumers_to_resync(caplog):

    redis = PrivateRedis().start()
    layer = ResilientRedisPubSubChannelLayer(hosts=[{"address": redis.url, "socket_connect_timeout": 0.5}])
    try:
        channel = await layer.new_channel()
        await layer.group_add("question.1", channel)
        await layer.group_send("question.1", {"type": "stream.event", "n": 1})
        assert (await asyncio.wait_for(layer.receive(channel), 2))["n"] == 1

        redis.stop()
        with pytest.raises(Exception):  # noqa: B017 (any connection error)
            await layer.group_send("question.1", {"type": "stream.event", "n": 2})
        await asyncio.sleep(1)
        redis.start()

        # The layer re-subscribes by itself and tells the consumer that it may have missed messages ...
        assert await asyncio.wait_for(layer.receive(channel), 10) == {"type": "live.resync"}
        # ... and delivers again.
        await layer.group_send("question.1", {"type": "stream.event", "n": 3})
        assert (await asyncio.wait_for(layer.receive(channel), 2))["n"] == 3
        assert len(_warnings(caplog)) == 1
        assert "Unexpected" not in caplog.text  # no traceback per retry
    finally:
        await layer.flush()
        redis.stop()

"""Helpers for live-update tests: a private channel-layer prefix, an empty backlog, and WebSocket clients
that connect through the real ASGI stack (origin check, session auth) like a browser."""

import json
import os

import pytest
from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from community.asgi import application  # imported once, up front: django.setup() there re-applies LOGGING
from community.live import backlog

ORIGIN = b"http://testserver"


@pytest.fixture(autouse=True)
def _private_live_streams(settings):
    """Each test run gets its own pub/sub prefix (pub/sub channels are shared by every Redis database, and
    other test runs may use the same Redis) and starts with an empty backlog."""
    settings.CHANNEL_PREFIX = f"t{os.getpid()}"
    if django_settings.REDIS_URL:
        layers = {**settings.CHANNEL_LAYERS}
        layers["default"] = {
            **layers["default"],
            "CONFIG": {**layers["default"]["CONFIG"], "prefix": settings.CHANNEL_PREFIX},
        }
        settings.CHANNEL_LAYERS = layers
    backlog.reset_backlog()
    # Consumers and services run in worker threads; without persistent connections those threads close
    # theirs after each call, so no session lingers on the test database at teardown.
    db_settings = connections.settings["default"]
    max_age, db_settings["CONN_MAX_AGE"] = db_settings.get("CONN_MAX_AGE", 0), 0
    yield
    db_settings["CONN_MAX_AGE"] = max_age
    backlog.reset_backlog()
    # The thread that runs consumers' database work may still hold a connection (the vote queue's last
    # batch): close it there, or the test database cannot be dropped at the end of the run.
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


async def open_socket(user=None, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    """A WebSocket through the whole ASGI application, logged in as `user` by session cookie."""
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def subscribe(communicator, *streams, since=None) -> list[dict]:
    """Subscribe and return the server's answers (one per stream)."""
    await communicator.send_to(text_data=json.dumps({"subscribe": list(streams), "since": since or {}}))
    answers = []
    for _ in streams:
        answers.append(await receive(communicator))
    return answers


async def receive(communicator, timeout: float = 2) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


async def receive_until(communicator, event: str, timeout: float = 2) -> dict:
    """The next message of type `event`, skipping others (e.g. notifications on the same socket)."""
    while True:
        message = await receive(communicator, timeout)
        if message.get("event") == event:
            return message


async def drain(communicator, timeout: float = 0.3) -> list[dict]:
    """Everything that arrives within `timeout` (used to assert that nothing, or nothing public, came)."""
    messages = []
    while not await communicator.receive_nothing(timeout=timeout):
        messages.append(await receive(communicator))
    return messages


run = database_sync_to_async

"""Many processes: two real server processes (uvicorn, as in production) share the test PostgreSQL database and Redis; a member connected
to process A sees, live, an answer a moderator approves through process B."""

import asyncio
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
import websockets
from django.conf import settings
from django.db import connection
from django.urls import reverse

from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator
from tests.live.conftest import run, session_cookie
from tests.live.servers import AppServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (settings.IS_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL and Redis (server processes cannot see an in-memory SQLite test database)",
    ),
]


def server_env() -> dict:
    """The servers use the test database (committed rows: transaction=True) and the test's Redis prefix."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return {
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CHANNEL_PREFIX": settings.CHANNEL_PREFIX,
        "CONN_MAX_AGE": "0",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }


def post_as(base: str, path: str, session: str, data: dict) -> int:
    """A form POST like a browser's: session cookie, CSRF cookie and token; returns the status code."""
    token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    request = urllib.request.Request(  # noqa: S310 (local test server)
        base + path,
        data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


async def wait_for_event(socket, event: str, timeout: float = 10) -> dict:
    async def next_matching():
        while True:
            message = json.loads(await socket.recv())
            if message.get("event") == event:
                return message

    return await asyncio.wait_for(next_matching(), timeout)


async def test_an_answer_approved_on_process_b_appears_live_on_process_a():

    moderator = await run(make_moderator)(display_name="Morgan")
    member = await run(UserFactory)()
    question = await run(QuestionFactory)()
    pending = await run(AnswerFactory)(
        question=question, status=Status.PENDING, body="Cutting caffeine after noon fixed it for me."
    )
    member_session = await run(session_cookie)(member)
    moderator_session = await run(session_cookie)(moderator)

    env = server_env()
    a, b = AppServer(env), AppServer(env)
    try:
        await asyncio.gather(asyncio.to_thread(a.start), asyncio.to_thread(b.start))
        stream = f"question.{question.pk}"
        async with websockets.connect(
            f"ws://127.0.0.1:{a.port}/ws/live/",
            origin=a.base,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={member_session}"},
        ) as socket:
            await socket.send(json.dumps({"subscribe": [stream], "since": {stream: 0}}))
            assert json.loads(await socket.recv()) == {"subscribed": stream, "seq": 0}

            path = reverse("forum:moderation_decide", args=["answer", pending.pk])
            status = await asyncio.to_thread(
                post_as, b.base, path, moderator_session, {"decision": "approve"}
            )
            assert status == 302

            arrived = await wait_for_event(socket, "answer.new")
            assert arrived["stream"] == stream
            assert f'id="answer-{pending.pk}"' in arrived["html"]
            assert "Cutting caffeine after noon fixed it for me." in arrived["html"]
    finally:
        a.stop()
        b.stop()
    assert "Traceback" not in a.output() + b.output()

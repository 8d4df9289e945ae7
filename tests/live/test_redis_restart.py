"""Redis restarts mid-stream: changes made while it is down succeed, and once it is back every open page
catches up with the database by itself (replay or refetch), on two server processes."""

import asyncio
import contextlib
import json
import re
import time
import urllib.request

import pytest
import websockets
from django.conf import settings

from forum.models import Answer, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator
from tests.live.conftest import run, session_cookie
from tests.live.servers import REDIS_SERVER, AppServer, PrivateRedis
from tests.live.test_two_processes import post_as, server_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="needs PostgreSQL (server processes cannot see an in-memory SQLite test database)",
    ),
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary"),
]


class PageInBrowser:
    """What static/js/live.js keeps of a question page: the answers shown and the stream's last sequence.
    It loads the page, follows the stream from the page's sequence, applies events, refetches the page
    when told to, and reconnects (with the last sequence) if the socket drops."""

    def __init__(self, server: AppServer, url: str, stream: str, session: str):
        self.server, self.url, self.stream, self.session = server, url, stream, session
        self.answers: set[int] = set()
        self.seq: int | None = None
        self.refetches = 0
        self.task = None

    def _get(self) -> str:
        request = urllib.request.Request(  # noqa: S310 (local test server)
            self.server.base + self.url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session}"}
        )
        return urllib.request.urlopen(request, timeout=10).read().decode()  # noqa: S310

    async def load(self) -> None:
        html = await asyncio.to_thread(self._get)
        self.answers = {
            int(pk) for pk in re.findall(r'<article class="answer[^"]*"\s+id="answer-(\d+)"', html)
        }
        found = re.search(rf'data-stream="{re.escape(self.stream)}" data-stream-seq="(\d*)"', html)
        self.seq = int(found.group(1)) if found and found.group(1) else None

    async def follow(self) -> None:

        while True:
            with contextlib.suppress(OSError, websockets.ConnectionClosed):
                async with websockets.connect(
                    f"ws://127.0.0.1:{self.server.port}/ws/live/",
                    origin=self.server.base,
                    additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session}"},
                ) as socket:
                    since = {self.stream: self.seq} if self.seq is not None else {}
                    await socket.send(json.dumps({"subscribe": [self.stream], "since": since}))
                    async for raw in socket:
                        await self.handle(json.loads(raw))
            await asyncio.sleep(0.5)  # live.js backs off with jitter; a fixed pause is enough here

    async def handle(self, message: dict) -> None:
        if message.get("subscribed") == self.stream:
            if self.seq is None:
                self.seq = message["seq"]
            return
        if message.get("stream") != self.stream:
            return
        if message["event"] == "refetch":
            self.refetches += 1
            await self.load()
            return
        if self.seq is not None and message["seq"] <= self.seq:
            return
        if message["event"] == "answer.new":
            self.answers.add(message["data"]["answer_id"])
        elif message["event"] == "answer.removed":
            self.answers.discard(message["data"]["answer_id"])
        self.seq = message["seq"]

    async def start(self) -> "PageInBrowser":
        await self.load()
        self.task = asyncio.create_task(self.follow())
        return self


def page_status(url: str) -> int:
    return urllib.request.urlopen(url, timeout=10).status  # noqa: S310 (local test server)


def approved_answers(question) -> set[int]:
    return set(Answer.objects.filter(question=question, status=Status.APPROVED).values_list("pk", flat=True))


async def wait_until_equal(pages, question, timeout: float = 20) -> set[int]:
    deadline = time.monotonic() + timeout
    while True:
        truth = await run(approved_answers)(question)
        if all(page.answers == truth for page in pages) or time.monotonic() > deadline:
            return truth
        await asyncio.sleep(0.1)


async def test_every_open_page_catches_up_after_redis_restarts():
    moderator = await run(make_moderator)(display_name="Morgan")
    reader = await run(UserFactory)()
    question = await run(QuestionFactory)()
    pending = [await run(AnswerFactory)(question=question, status=Status.PENDING) for _ in range(5)]
    moderator_session = await run(session_cookie)(moderator)
    reader_session = await run(session_cookie)(reader)

    redis = PrivateRedis().start()
    env = {**server_env(), "REDIS_URL": redis.url}
    a, b = AppServer(env), AppServer(env)
    pages = []
    try:
        await asyncio.gather(asyncio.to_thread(a.start), asyncio.to_thread(b.start))
        url, stream = question.get_absolute_url(), f"question.{question.pk}"
        pages = [await PageInBrowser(server, url, stream, reader_session).start() for server in (a, b)]
        await asyncio.sleep(0.5)  # both subscribed

        async def approve(answer):
            path = f"/moderation/answer/{answer.pk}/decide/"
            status = await asyncio.to_thread(
                post_as, b.base, path, moderator_session, {"decision": "approve"}
            )
            assert status == 302

        await approve(pending[0])
        assert await wait_until_equal(pages, question, timeout=10) == {pending[0].pk}
        assert all(page.answers == {pending[0].pk} for page in pages)

        redis.stop()
        await approve(pending[1])  # changes while Redis is down succeed ...
        await approve(pending[2])
        for server in (a, b):  # ... and pages still render
            assert await asyncio.to_thread(page_status, server.base + url) == 200
        await asyncio.sleep(1)
        assert all(page.answers == {pending[0].pk} for page in pages)  # live updates paused meanwhile

        redis.start()
        truth = await wait_until_equal(pages, question)
        assert truth == {p.pk for p in pending[:3]}
        assert [page.answers for page in pages] == [truth, truth]
        assert all(page.refetches >= 1 for page in pages)

        await approve(pending[3])  # live updates resumed by themselves
        truth = await wait_until_equal(pages, question, timeout=10)
        assert truth == {p.pk for p in pending[:4]}
        assert [page.answers for page in pages] == [truth, truth]
    finally:
        for page in pages:
            page.task.cancel()
        a.stop()
        b.stop()
        redis.stop()
    for server in (a, b):
        log = server.output()
        assert log.count("Redis unreachable") == 1, log
        assert "Traceback" not in log, log

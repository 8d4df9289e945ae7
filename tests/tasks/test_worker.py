"""Real Celery worker processes against the test Redis and the test database: a worker executes an email
enqueued by this process after its commit; a worker killed (kill -9) while sending loses no email and the
next worker sends it exactly once; SMTP failures are retried by the worker with growing delays."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from community.celery import app as celery_app
from community.mail.models import OutboundEmail
from forum.models import Status
from forum.moderation import review
from tests.factories import AnswerFactory, UserFactory, make_moderator
from tests.tasks.smtp import TestSMTPServer

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the seeded categories
    pytest.mark.skipif(
        not (settings.IS_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL and Redis (a worker process cannot see an in-memory SQLite test database)",
    ),
]

QUEUE_KEYS = ["celery", "unacked", "unacked_index", "unacked_mutex"]


@pytest.fixture
def broker():
    """This process enqueues to Redis as the site does with REDIS_URL (not inline as other tests do), on
    an empty queue; nothing is left in it afterwards."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*QUEUE_KEYS)
    celery_app.conf.task_always_eager = False
    yield client
    client.delete(*QUEUE_KEYS)
    client.close()


class Worker:
    """`celery -A community worker` in a process of its own (solo pool: kill -9 kills the task too)."""

    count = 0

    def __init__(self, env: dict, cwd: Path = BASE_DIR):
        Worker.count += 1
        self.log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "community", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--without-mingle", "--without-gossip", "--hostname", f"test{Worker.count}-{os.getpid()}@%h"],
            cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while " ready." not in self.output():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.1)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        Path(self.log.name).unlink(missing_ok=True)


def worker_env(smtp: TestSMTPServer, **overrides) -> dict:
    """The worker uses the test database (committed rows), the test Redis and the test SMTP server. Short
    lease and visibility timeout: a killed worker's email is taken over within seconds, not minutes."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "DATABASE_POOL": "0",
            "CONN_MAX_AGE": "0",
            "MAIL_OUTBOX_LEASE_SECONDS": "2",
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "MAIL_RETRY_BACKOFF_SECONDS": "1",
            **smtp.settings(),
        }
    )
    env.update(overrides)
    return env


def approve_pending_answer() -> tuple[str, OutboundEmail]:
    """A moderator approves a pending answer: its author's "approved" email is queued (committed)."""
    author = UserFactory()
    answer = AnswerFactory(author=author, status=Status.PENDING)
    with transaction.atomic():
        review.approve(moderator=make_moderator(), item=answer)
    return author.email, OutboundEmail.objects.get(message__to=[author.email])


def recipients(messages: list[str]) -> list[str]:
    return [line[4:] for message in messages for line in message.splitlines() if line.startswith("To: ")]


def test_a_worker_process_sends_an_email_enqueued_after_the_commit(broker):
    with TestSMTPServer() as smtp:
        worker = Worker(worker_env(smtp))
        try:
            address, email = approve_pending_answer()
            received = smtp.wait_for(1, timeout=30)
        finally:
            worker.stop()
    assert recipients(received) == [address]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


def test_a_worker_killed_while_sending_loses_no_email_and_the_next_sends_it_once(broker):
    with TestSMTPServer(hang_first_data=True) as smtp:
        env = worker_env(smtp)
        first = Worker(env)
        try:
            address, email = approve_pending_answer()
            assert smtp.hung.wait(30), first.output()  # claimed, and in the middle of sending
            first.kill()
        finally:
            first.stop()
        email.refresh_from_db()
        assert (email.attempts, email.sent_at) == (1, None)

        second = Worker(env)
        try:
            received = smtp.wait_for(1, timeout=60)
            time.sleep(4)  # longer than lease and visibility timeout: any second copy would have gone by now
            received = list(smtp.messages)
        finally:
            second.stop()
    assert recipients(received) == [address]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2


def test_a_worker_retries_smtp_failures_with_growing_delays(broker):
    with TestSMTPServer(refuse_first=2) as smtp:  # "421 try again later", twice
        worker = Worker(worker_env(smtp, MAIL_RETRY_BACKOFF_SECONDS="1"))
        try:
            started = time.monotonic()
            address, email = approve_pending_answer()
            received = smtp.wait_for(1, timeout=60)
            elapsed = time.monotonic() - started
        finally:
            worker.stop()
    assert recipients(received) == [address]
    assert smtp.connections == 3
    assert elapsed >= 1 + 2  # waited 1 s, then 2 s
    email.refresh_from_db()
    assert (email.attempts, email.sent_at is not None) == (3, True)

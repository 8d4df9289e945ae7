"""Web servers that share nothing but PostgreSQL, Redis and the object store (README "Deployment").

Two production servers (uvicorn, DEBUG=0) each run from a copy of the project in a directory of its own,
with their own collected static files and no common disk; a Celery worker runs from a third copy. One
person in one browser (cookies are per host name, not per port: the two servers are two hosts behind one
name, as behind a load balancer) logs in on A and is logged in on B, uploads a photo through A that B
shows, votes on A while a page served by B updates live, and asks A for a password-reset email that the
separately started worker sends; the link in it works on B.
"""

import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.conf import global_settings, settings
from django.db import connection
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from forum.models import Status
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.live.servers import BASE_DIR, AppServer
from tests.tasks.smtp import TestSMTPServer
from tests.tasks.test_worker import QUEUE_KEYS, Worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (settings.IS_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL and Redis (servers on other hosts cannot share an SQLite file)",
    ),
]

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
# What a host's copy of the project leaves out: what is not deployed, and what each host makes for itself.
NOT_DEPLOYED = shutil.ignore_patterns(
    ".git", ".venv", ".*cache", "__pycache__", "tests", "bench", "docs", "node_modules",
    "staticfiles", "media", "private_media", "*.sqlite3", "celerybeat-schedule*",
)  # fmt: skip


def deploy(root: Path, name: str, env: dict) -> Path:
    """A host's copy of the project, with its static files collected there (a deploy step per host)."""
    home = root / name
    shutil.copytree(BASE_DIR, home, ignore=NOT_DEPLOYED)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=home, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return home


def production_env(s3: dict, smtp: TestSMTPServer) -> dict:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same on every host: sessions, CSRF, reset links
        "SECURE_SSL_REDIRECT": "0",  # plain http on 127.0.0.1; TLS ends at the load balancer in production
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_POOL": "0",
        "CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CHANNEL_PREFIX": settings.CHANNEL_PREFIX,
        "LOG_LEVEL": "WARNING",
        **s3,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        **smtp.settings(),
        "DJANGO_SETTINGS_MODULE": "community.settings",
    }


@pytest.fixture
def queue():
    """An empty task queue before and after (the worker must not pick up another test's tasks)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*QUEUE_KEYS)
    yield
    client.delete(*QUEUE_KEYS)
    client.close()


@pytest.fixture
def cluster(tmp_path, s3_environment, queue, chromium):
    """Hosts A and B (web) and C (worker), each started from its own directory."""
    with TestSMTPServer() as smtp:
        env = production_env(s3_environment, smtp)
        hosts = {name: deploy(tmp_path, name, {**_inherited(), **env}) for name in ("a", "b", "c")}
        servers = [AppServer(env, cwd=hosts[name]) for name in ("a", "b")]
        worker = None
        try:
            for server in servers:
                server.start()
            worker = Worker({**_inherited(), **env}, cwd=hosts["c"])
            yield {
                "a": servers[0], "b": servers[1], "worker": worker, "smtp": smtp, "s3": s3_environment,
                "homes": hosts,
            }  # fmt: skip
        finally:
            for server in servers:
                server.stop()
            if worker is not None:
                worker.stop()


def _inherited() -> dict:
    """What a process needs from this one's environment (PATH, HOME), without its Django settings."""
    return {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}


def photo(tmp_path) -> Path:
    path = tmp_path / "me.png"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 80, 40)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_two_web_servers_and_a_worker_share_only_the_database_redis_and_the_store(
    cluster, chromium, tmp_path, settings
):
    a, b = cluster["a"].base, cluster["b"].base
    member = UserFactory(display_name="Robin")
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the servers' (tests use a fast one)
    member.set_password(PASSWORD)
    member.save(update_fields=["password"])
    question = QuestionFactory(title="Does magnesium help with night cramps?")
    answer = AnswerFactory(question=question, status=Status.APPROVED, body="Stretch your calves before bed.")
    # Nothing on a host's disk but its own copy: no process runs from the project's directory.
    for server in (cluster["a"], cluster["b"], cluster["worker"]):
        assert Path(f"/proc/{server.process.pid}/cwd").resolve() in cluster["homes"].values()

    context = chromium.new_context(locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        # Logged in on A ...
        page.goto(a + reverse("account_login"))
        page.get_by_label("Email").fill(member.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        # ... is logged in on B.
        page.goto(b + "/")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        # A photo uploaded through A is shown by B, from the object store.
        page.goto(a + reverse("accounts:profile_edit"))
        page.get_by_label("Photo", exact=True).set_input_files(photo(tmp_path))
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Your profile is saved.")).to_be_visible()
        page.goto(b + reverse("people:profile", args=[member.pk]))
        picture = page.get_by_role("img", name="Photo of Robin")
        store = f"{cluster['s3']['AWS_S3_ENDPOINT_URL']}/{cluster['s3']['AWS_STORAGE_BUCKET_NAME']}/"
        assert picture.get_attribute("src").startswith(store)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())

        # A vote through A appears live on a page served by B.
        watcher = context.new_page()
        watcher.goto(b + question.get_absolute_url())
        expect(watcher.locator("body")).to_have_attribute("data-live-state", "open")
        expect(watcher.locator(f"#vote-answer-{answer.pk} .score")).to_have_text("0")
        page.goto(a + question.get_absolute_url())
        expect(page.locator("body")).to_have_attribute("data-live-state", "open")
        page.locator(f"#vote-answer-{answer.pk}").get_by_role("button", name="Vote up").click()
        expect(page.locator(f"#vote-answer-{answer.pk} .score")).to_have_text("1")
        expect(watcher.locator(f"#vote-answer-{answer.pk} .score")).to_have_text("1")
    finally:
        context.close()

    # A task enqueued by A (a password-reset email) is executed by the worker on C; its link works on B.
    visitor = chromium.new_context(locale="en-US")
    visitor.set_default_timeout(TIMEOUT_MS)
    try:
        page = visitor.new_page()
        page.goto(a + reverse("account_reset_password"))
        page.get_by_label("Email").fill(member.email)
        page.get_by_role("button", name="Reset my password").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("password reset", re.I))
        messages = cluster["smtp"].wait_for(1, timeout=30)
        assert len(messages) == 1, "the worker sent no email"
        link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", _unfold(messages[0]))
        assert link, messages[0]
        page.goto(b + urllib.parse.urlsplit(link.group(0)).path)  # links name SITE_URL, the public name
        page.get_by_label(re.compile(r"^New password \*$")).fill("a much longer passphrase 42")
        page.get_by_label(re.compile(r"^New password \(again\)")).fill("a much longer passphrase 42")
        page.get_by_role("button", name="Change password").click()
        expect(page.get_by_text(re.compile("password is now changed", re.I))).to_be_visible()
    finally:
        visitor.close()
    # Sent by C's worker, not in A's request: C received the task (it logs task names, never addresses).
    assert re.search(
        r"Task community\.mail\.tasks\.send_email\[[\w-]+\] received", cluster["worker"].output()
    )
    member.refresh_from_db()
    assert member.check_password("a much longer passphrase 42")


def _unfold(message: str) -> str:
    """The email's text with quoted-printable soft line breaks joined."""
    return message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")

"""How long the task queue takes to send N notification emails (README "Deployment").

    .venv/bin/python -m bench.mail_queue                    (10,000 emails, 1 worker process, concurrency 2)
    .venv/bin/python -m bench.mail_queue --emails 500       (a short run, to check the harness)

Against a PostgreSQL database of its own (--database-url, default hc_mail: created if missing, migrated)
and Redis (--redis-url, default db 13: its task queue is emptied first). It makes N members, then, in one
transaction, tells each that their answer was approved through the site's own path
(`community.notifications.services.notify`: the notification, its live event and its outbox row), commits,
and times until a separately started `celery -A community worker` (console email backend, output to a file)
has sent every outbox row. Each email must be printed exactly once. Prints one table; writes nothing else.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import BASE_DIR, log

QUEUE_KEYS = ["celery", "unacked", "unacked_index", "unacked_mutex"]
DOMAIN = "mail-bench.example.org"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hc_mail")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes (prefork pool)")
    parser.add_argument("--timeout", type=float, default=1800)
    return parser.parse_args(argv)


def create_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def environment(args) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "SECURE_SSL_REDIRECT": "0",
        "CHANNEL_PREFIX": "mailbench",
        "CACHE_KEY_PREFIX": "mailbench",
        "LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "",  # the console backend: what is measured is the queue, not a mail server
    }
    os.environ.update(env)
    return env


def make_members(count: int) -> list:
    from accounts.models import User

    User.objects.filter(email__endswith="@" + DOMAIN).delete()
    users = [
        User(username=f"mailbench{i}", email=f"member{i}@{DOMAIN}", display_name=f"Member {i}", password="!")
        for i in range(count)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    return list(User.objects.filter(email__endswith="@" + DOMAIN).order_by("pk"))


def start_worker(env: dict, concurrency: int, output: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "community", "worker", "--concurrency", str(concurrency),
         "--loglevel", "INFO", "--without-mingle", "--without-gossip", "--hostname", f"mailbench-{os.getpid()}@%h"],
        cwd=BASE_DIR, env={**os.environ, **env}, stdout=output.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while " ready." not in output.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not start:\n" + output.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    return process


def main() -> None:
    args = parse_args()
    create_database(args.database_url)
    env = environment(args)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import transaction

    from community.mail.models import OutboundEmail
    from community.notifications.models import Notification
    from community.notifications.services import notify

    call_command("migrate", "--no-input", verbosity=0)
    OutboundEmail.objects.all().delete()
    client = redis.Redis.from_url(args.redis_url)
    client.delete(*QUEUE_KEYS)
    log(f"Making {args.emails:,} members")
    members = make_members(args.emails)
    output = Path(tempfile.mkdtemp(prefix="mail-bench-")) / "worker.log"
    worker = start_worker(env, args.concurrency, output)
    try:
        log("Queueing one notification email per member, in one transaction")
        started = time.perf_counter()
        moments = {}
        with transaction.atomic():
            # The first hook to run after the commit: when the rows became visible to the worker.
            transaction.on_commit(lambda: moments.setdefault("commit", time.perf_counter()))
            for member in members:
                notify(member, Notification.Kind.APPROVED, "Your answer was approved.", "/")
            moments["written"] = time.perf_counter()
        committed = time.perf_counter()  # the commit's hooks (live events, one task per email) have run
        log(f"  committed and enqueued in {committed - started:.1f} s; waiting for the worker")
        waiting = OutboundEmail.objects.filter(sent_at__isnull=True)
        deadline = committed + args.timeout
        while (left := waiting.count()) and time.perf_counter() < deadline:
            time.sleep(0.5)
        finished = time.perf_counter()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    printed = output.read_text(errors="replace")
    copies = len(re.findall(rf"^To: member\d+@{re.escape(DOMAIN)}$", printed, flags=re.MULTILINE))
    attempts = sorted(set(OutboundEmail.objects.values_list("attempts", flat=True)))
    seconds = finished - moments["commit"]
    print(
        f"{args.emails:,} notification emails, console backend, one worker (prefork, concurrency "
        f"{args.concurrency}), {os.cpu_count()} cores, PostgreSQL + Redis\n\n"
        "| emails | notifications and outbox rows written (s) | commit's hooks: events, tasks enqueued (s) | "
        "all sent after the commit (s) | emails/s | printed | left unsent | attempts |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| {args.emails:,} | {moments['written'] - started:.1f} | {committed - moments['commit']:.1f} | "
        f"{seconds:.1f} | {args.emails / seconds:.0f} | "
        f"{copies:,} | {left:,} | {attempts} |"
    )
    if left or copies != args.emails:
        sys.exit(1)


if __name__ == "__main__":
    main()

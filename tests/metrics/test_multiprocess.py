"""Several server processes (uvicorn --workers) write their figures into PROMETHEUS_MULTIPROC_DIR, and
/metrics served by any one of them adds them up; a process that exited no longer counts open sockets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.metrics.helpers import value

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# A server process's share of the work: a live event published and a socket opened (and kept until told).
WORKER = """
import sys, django
django.setup()
from community.metrics import live, websockets
live.event_published("answer.new")
websockets.OPEN.inc()
print("ready", flush=True)
sys.stdin.readline()
"""
SCRAPE = """
import django
django.setup()
from django.test import Client
print(Client().get("/metrics").content.decode())
"""


def _environment(directory: Path) -> dict:
    return {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": f"sqlite:///{directory.parent / 'unused.sqlite3'}",
    }


def _start_worker(environment: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout.readline().strip() == "ready"
    return worker


def _scrape(environment: dict) -> str:
    return subprocess.run(
        [sys.executable, "-c", SCRAPE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_figures_of_every_process_add_up_and_exited_processes_stop_counting_sockets(tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    environment = _environment(directory)
    first, second = _start_worker(environment), _start_worker(environment)
    try:
        both = _scrape(environment)
        assert value(both, "hc_live_events_published_total", event="answer.new") == 2
        assert value(both, "hc_websockets_open", pid=str(first.pid)) == 1
        assert value(both, "hc_websockets_open", pid=str(second.pid)) == 1
        first.communicate("\n", timeout=30)  # the first server process exits
        after = _scrape(environment)
        assert (
            value(after, "hc_live_events_published_total", event="answer.new") == 2
        )  # counters keep counting
        assert value(after, "hc_websockets_open", pid=str(first.pid)) == 0
        assert value(after, "hc_websockets_open") == 1
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.communicate("\n", timeout=30)

"""/healthz tells an operator how background work is doing: the broker, how many tasks wait and how long
the oldest has waited; a queue that stops draining turns the status to "degraded"."""

import time

import pytest
import redis
from django.conf import settings

from community.celery import app as celery_app
from community.mail import tasks

pytestmark = pytest.mark.django_db

QUEUE_KEYS = ["celery", "unacked", "unacked_index"]


@pytest.fixture
def broker_queue():
    """Tasks go to the test Redis (no worker runs, so they wait there); emptied before and after."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*QUEUE_KEYS)
    celery_app.conf.task_always_eager = False
    yield client
    client.delete(*QUEUE_KEYS)
    client.close()


def test_embedded_site_reports_tasks_run_in_process(client):
    body = client.get("/healthz").json()
    assert body["broker"] == "in-process"
    assert body["tasks"] == {"queue_length": 0, "oldest_task_seconds": None, "stalled": False}
    assert body["status"] == "ok"


def test_waiting_tasks_show_their_number_and_the_oldest_ones_age(client, broker_queue, settings):
    settings.TASK_QUEUE_STALLED_SECONDS = 300
    tasks.purge_sent_emails.apply_async()
    time.sleep(1.2)
    tasks.send_pending_emails.apply_async()
    body = client.get("/healthz").json()
    assert body["broker"] == "ok"
    assert body["tasks"]["queue_length"] == 2
    assert 1.2 <= body["tasks"]["oldest_task_seconds"] < 30
    assert body["tasks"]["stalled"] is False
    assert body["status"] == "ok"


def test_a_queue_that_stopped_draining_makes_the_site_degraded(client, broker_queue, settings):
    settings.TASK_QUEUE_STALLED_SECONDS = 1
    tasks.purge_sent_emails.apply_async()
    time.sleep(1.2)
    response = client.get("/healthz")
    assert response.status_code == 200  # pages still work; emails wait in the outbox
    body = response.json()
    assert body["tasks"]["stalled"] is True
    assert body["status"] == "degraded"


def test_an_unreachable_broker_makes_the_site_degraded_not_down(client):
    celery_app.conf.task_always_eager = False
    broker_url, celery_app.conf.broker_url = celery_app.conf.broker_url, "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = broker_url
    assert response.status_code == 200
    body = response.json()
    assert body["broker"] == "unreachable"
    assert body["status"] == "degraded"

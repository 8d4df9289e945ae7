"""How the task queue is doing, for /healthz: is the broker reachable, how many tasks wait, and how long
the oldest has waited (a queue that stops draining shows as a growing age long before anyone misses an
email).

Celery's Redis transport keeps each queue as a Redis list (LPUSH in, BRPOP out, one list per priority step),
so the oldest waiting message is the list's last element; its headers carry `enqueued_at`, written when
it was published (community.celery). Tasks a worker has taken but not finished are not counted.
"""

import json
import time

import redis
from django.conf import settings
from kombu.transport.redis import PRIORITY_STEPS, Channel

from community.celery import app


def _queue_keys(queue: str) -> list[str]:
    return [queue if step == 0 else f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS]


def _enqueued_at(raw: bytes | None) -> float | None:
    if raw is None:
        return None
    try:
        return float(json.loads(raw)["headers"]["enqueued_at"])
    except (ValueError, KeyError, TypeError):
        return None


def task_queue_status() -> dict:
    """{"broker": "ok" | "unreachable" | "in-process", "queue_length": n, "oldest_task_seconds": s | None,
    "stalled": bool}; stalled when the oldest task has waited TASK_QUEUE_STALLED_SECONDS or more."""
    if app.conf.task_always_eager:
        # No broker (embedded site): tasks run in this process after each commit; nothing can pile up.
        return {"broker": "in-process", "queue_length": 0, "oldest_task_seconds": None, "stalled": False}
    client = redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        pipe = client.pipeline(transaction=False)
        keys = _queue_keys(app.conf.task_default_queue)
        for key in keys:
            pipe.llen(key)
        for key in keys:
            pipe.lindex(key, -1)
        replies = pipe.execute()
    except redis.RedisError:
        return {"broker": "unreachable", "queue_length": None, "oldest_task_seconds": None, "stalled": False}
    finally:
        client.close()
    lengths, oldest = replies[: len(keys)], replies[len(keys) :]
    stamps = [stamp for stamp in map(_enqueued_at, oldest) if stamp is not None]
    age = round(max(0.0, time.time() - min(stamps)), 1) if stamps else None
    return {
        "broker": "ok",
        "queue_length": sum(lengths),
        "oldest_task_seconds": age,
        "stalled": age is not None and age >= settings.TASK_QUEUE_STALLED_SECONDS,
    }

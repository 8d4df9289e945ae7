"""The Celery application: background work (every email, periodic jobs) on a Redis broker.

With REDIS_URL set, tasks go to Redis and a worker runs them (`celery -A community worker`, periodic jobs
from `celery -A community beat`). Without it (the embedded `make run`), tasks run in this process: after the
commit, on a background thread, so a request never waits for them (`enqueue_on_commit`).

Every task is enqueued after the commit that made it necessary (`enqueue_on_commit`), so a rolled-back change
enqueues nothing, and carries the time it was enqueued in its headers (`enqueued_at`), which /healthz reads
to tell the age of the oldest waiting task (community/queue_health.py).
"""

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from celery import Celery
from celery.signals import before_task_publish, task_failure, task_prerun, task_retry, task_success
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from community import redis_health
from community.metrics import tasks as task_metrics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

app = Celery("community")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger(__name__)

# One thread runs in-process tasks in order (the embedded site's "worker"); it never blocks a request.
_in_process = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tasks")


@before_task_publish.connect
def _stamp_enqueue_time(sender=None, headers=None, **kwargs):
    # Read back from the broker's oldest message by community.queue_health (a queue that stops draining),
    # and by the worker for the task's wait (community.metrics.tasks).
    if headers is not None:
        headers.setdefault("enqueued_at", time.time())
    task_metrics.task_queued(str(sender))


# Tasks queued, waited, succeeded, failed and retried, by task name (never arguments): /metrics.
@task_prerun.connect
def _task_started(task=None, **kwargs):
    queued_at = getattr(task.request, "enqueued_at", None) if task is not None else None
    task_metrics.task_started(task.name if task is not None else "unknown", queued_at)


@task_success.connect
def _task_succeeded(sender=None, **kwargs):
    task_metrics.task_succeeded(getattr(sender, "name", "unknown"))


@task_failure.connect
def _task_failed(sender=None, **kwargs):
    task_metrics.task_failed(getattr(sender, "name", "unknown"))


@task_retry.connect
def _task_retried(sender=None, **kwargs):
    task_metrics.task_retried(getattr(sender, "name", "unknown"))


def _run_in_process(task, args, kwargs) -> None:
    try:
        task.apply(args=args, kwargs=kwargs)
    except Exception:  # a task's own failure is logged by Celery; this keeps the thread alive
        log.exception("In-process task %s failed", task.name)
    finally:
        # This thread's database connection would otherwise stay open between tasks.
        connections.close_all()


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` in the background now: on the broker, or (no broker) on this process's task thread, or
    inline when TASKS_IN_PROCESS_INLINE is set (tests that read the result right after the commit)."""
    if not app.conf.task_always_eager:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except (OperationalError, RedisError, OSError) as exc:
            # The broker is Redis: its outage is reported once, like the cache's and the live layer's. The
            # change is committed; an email's row waits for the periodic sweep, other tasks are lost.
            redis_health.report_down("task broker", exc)
            log.info("Task %s not queued: the broker is unreachable.", task.name)
        else:
            redis_health.report_up("task broker")
    elif settings.TASKS_IN_PROCESS_INLINE:
        task.apply(args=args, kwargs=kwargs)
    else:
        _in_process.submit(_run_in_process, task, args, kwargs)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue `task` once the current transaction commits (at once outside one); never for a rollback.
    A broker that cannot be reached does not fail the request that already committed (one warning per outage). An
    email whose task was lost so is sent by the periodic sweep (community.mail.tasks.send_pending_emails);
    other tasks are lost (a file deletion leaves the file behind)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), robust=True)


def wait_for_in_process_tasks(timeout: float = 30) -> None:
    """Tests: block until every in-process task submitted so far has finished."""
    _in_process.submit(lambda: None).result(timeout=timeout)

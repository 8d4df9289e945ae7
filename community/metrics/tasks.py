"""Background tasks, ready for the task layer (Celery, issue 13 item 1), which calls these from its signals:

    before_task_publish -> task_queued(name)
    task_prerun         -> task_started(name, queued_at)   (queued_at: epoch seconds the producer stamped)
    task_success        -> task_succeeded(name)
    task_failure        -> task_failed(name)
    task_retry          -> task_retried(name)

and a periodic check of the broker sets the queue's length and its oldest task's age (set_queue_state), so
a queue that stops draining is visible. Names are the tasks' own (`accounts.send_email`), never arguments.
"""

import time

from prometheus_client import Counter, Gauge, Histogram

WAIT_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)

QUEUED = Counter("hc_tasks_queued_total", "Tasks put on the queue, by task name.", ["task"])
SUCCEEDED = Counter("hc_tasks_succeeded_total", "Tasks that finished, by task name.", ["task"])
FAILED = Counter("hc_tasks_failed_total", "Tasks that failed for good, by task name.", ["task"])
RETRIED = Counter("hc_tasks_retried_total", "Task attempts that will be retried, by task name.", ["task"])
WAIT_SECONDS = Histogram(
    "hc_task_wait_seconds",
    "Time a task waited on the queue before a worker began it.",
    ["task"],
    buckets=WAIT_BUCKETS,
)
QUEUE_LENGTH = Gauge(
    "hc_task_queue_length", "Tasks waiting on the queue, by queue.", ["queue"], multiprocess_mode="mostrecent"
)
OLDEST_AGE = Gauge(
    "hc_task_queue_oldest_age_seconds",
    "Age of the oldest waiting task, by queue.",
    ["queue"],
    multiprocess_mode="mostrecent",
)


def task_queued(name: str) -> None:
    QUEUED.labels(name).inc()


def task_started(name: str, queued_at: float | None) -> None:
    if queued_at is not None:
        WAIT_SECONDS.labels(name).observe(max(0.0, time.time() - queued_at))


def task_succeeded(name: str) -> None:
    SUCCEEDED.labels(name).inc()


def task_failed(name: str) -> None:
    FAILED.labels(name).inc()


def task_retried(name: str) -> None:
    RETRIED.labels(name).inc()


def set_queue_state(queue: str, *, length: int, oldest_age_seconds: float) -> None:
    QUEUE_LENGTH.labels(queue).set(length)
    OLDEST_AGE.labels(queue).set(oldest_age_seconds)

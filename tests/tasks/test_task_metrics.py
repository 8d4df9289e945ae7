"""An operator sees the background work on /metrics: tasks that ran, succeeded and failed, by task name."""

import pytest

from accounts import tasks as account_tasks
from tests.metrics.helpers import scrape, value

pytestmark = pytest.mark.django_db


def test_a_task_that_runs_is_counted_by_name_on_the_metrics_page():
    before = value(scrape(), "hc_tasks_succeeded_total", task="accounts.tasks.clear_expired_sessions")
    account_tasks.clear_expired_sessions.apply()
    after = value(scrape(), "hc_tasks_succeeded_total", task="accounts.tasks.clear_expired_sessions")
    assert after == before + 1


def test_a_task_that_fails_is_counted_as_failed(monkeypatch):
    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(account_tasks.verification, "notify_expiring_experts", broken)
    name = "accounts.tasks.notify_expiring_experts"
    before = value(scrape(), "hc_tasks_failed_total", task=name)
    account_tasks.notify_expiring_experts.apply()  # eager: the failure is recorded on the result
    assert value(scrape(), "hc_tasks_failed_total", task=name) == before + 1

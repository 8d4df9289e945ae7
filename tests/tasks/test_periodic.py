"""The periodic jobs on Celery beat: every scheduled name is a task the worker knows, and each job does its
work once however often it runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import tasks as account_tasks
from community.celery import app as celery_app
from community.notifications.models import Notification
from tests.factories import make_expert

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_is_a_registered_task():
    celery_app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "accounts.tasks.notify_expiring_experts",
        "accounts.tasks.clear_expired_sessions",
        "community.mail.tasks.send_pending_emails",
        "community.mail.tasks.purge_sent_emails",
        "forum.alerts.tasks.send_daily_summaries",
    }
    assert scheduled <= set(celery_app.tasks)


def test_expiring_experts_are_told_once_however_often_the_job_runs():
    expiring, later = make_expert(days_left=10), make_expert(days_left=200)
    assert account_tasks.notify_expiring_experts.apply().get() == 1
    assert account_tasks.notify_expiring_experts.apply().get() == 0  # a second run, or a redelivery
    assert Notification.objects.filter(recipient=expiring, kind="expert").count() == 1
    assert not Notification.objects.filter(recipient=later, kind="expert").exists()


def test_expired_sessions_are_cleared_and_live_ones_kept():
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert account_tasks.clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]

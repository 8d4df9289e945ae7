"""A moderator's click does not wait for the mail server: with an SMTP server that takes 5 s to answer, the
Approve button's result shows within the usual time (a click's round trip and htmx swap: 2.5 s leaves room
on a busy machine, half the mail server's 5 s), and the author's email arrives afterwards, sent by the
embedded site's in-process task thread (what `make run` does without REDIS_URL)."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community.celery import app as celery_app
from community.celery import wait_for_in_process_tasks
from tests.browser.helpers import community
from tests.tasks.smtp import TestSMTPServer, use_smtp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_approve_answers_at_once_and_the_email_follows(login, settings):
    celery_app.conf.task_always_eager = True
    settings.TASKS_IN_PROCESS_INLINE = False  # the embedded default: the task thread, not the request
    c = community()
    with TestSMTPServer(delay=5) as smtp:
        use_smtp(settings, smtp)
        page = login(c.moderator)
        page.goto(reverse("forum:moderation_queue"))
        item = page.locator(f"#queue-question-{c.pending_question.pk}")

        started = time.monotonic()
        item.get_by_role("button", name="Approve").click()
        expect(item.get_by_role("status")).to_contain_text("Approved", timeout=2500)
        assert time.monotonic() - started < 2.5
        assert smtp.messages == []  # the mail server has not even greeted yet

        received = smtp.wait_for(1, timeout=30)
        wait_for_in_process_tasks()
    assert [line for line in received[0].splitlines() if line.startswith("To: ")] == [
        f"To: {c.pending_question.author.email}"
    ]

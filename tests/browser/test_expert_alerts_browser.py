"""Experts are told, in a browser: an expert reads their inbox; a moderator approves a question of their
specialty in the queue; the expert's open page shows the new notification at once (no reload), and the
notification centre says what it is. Moderators reach the "Overdue for an expert" list from their tabs."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community.notifications.models import Notification
from tests.browser.helpers import wait_until
from tests.factories import QuestionFactory, category, make_expert, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Can grief make me forget simple words?"


def test_an_expert_with_the_inbox_open_sees_the_approved_question_arrive_live(login):
    expert = make_expert("mental-health", display_name="Dr. Ada Okafor")
    question = QuestionFactory(category=category("mental-health"), status="pending", title=TITLE)
    moderator = make_moderator(display_name="Morgan")

    inbox = login(expert)
    inbox.goto(reverse("forum:awaiting_expert"))
    expect(inbox.locator("body")).to_have_attribute("data-live-state", "open")
    expect(inbox.locator("#unread-count")).to_have_text("0")

    reviewer = login(moderator)
    reviewer.goto(reverse("forum:moderation_queue"))
    reviewer.locator(f"#queue-question-{question.pk}").get_by_role("button", name="Approve").click()

    expect(inbox.locator("#unread-count")).to_have_text(re.compile(r"^[1-9]"))  # live, no reload
    assert wait_until(lambda: Notification.objects.filter(recipient=expert, kind="expert_question").exists())
    inbox.get_by_role("link", name="Notifications").click()
    expect(inbox.get_by_text(f"New question in your specialty: “{TITLE}”")).to_be_visible()

    reviewer.get_by_role("link", name="Overdue for an expert").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Overdue for an expert")

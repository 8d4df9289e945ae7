"""Mentions in Chromium: a member types "@" and the first letters of a name in the answer box, picks the
suggestion with the keyboard and posts; nobody is told while the answer waits for review; once a moderator
approves it the mentioned member sees the notification live and the answer links to their profile."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community.notifications.models import Notification
from forum.models import Answer
from tests.browser.helpers import community
from tests.browser.test_accessibility import serious_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_mentions_someone_who_is_told_once_the_answer_is_approved(login):
    c = community()
    writer = UserFactory(display_name="Ellen")
    named = UserFactory(display_name="Priya Raman")
    UserFactory(display_name="Priam Other")
    page = login(writer)
    page.goto(c.question.get_absolute_url())
    box = page.get_by_role("textbox", name="Your answer")
    box.click()
    box.press_sequentially("Like @Pri")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    assert serious_violations(page) == []
    box.press("ArrowDown")
    expect(listbox.get_by_role("option", name="Priya Raman")).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    box.press_sequentially("said, a fixed bedtime helps.")
    expect(box).to_have_value(f"Like @PriyaRaman#{named.pk} said, a fixed bedtime helps.")
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer will appear once a moderator approves it.")).to_be_visible()
    answer = Answer.objects.get(author=writer)
    assert not Notification.objects.filter(recipient=named, kind="mentioned").exists()  # pending: nobody told

    told = login(named)
    told.goto(reverse("forum:home"))
    expect(told.locator("#unread-count")).to_have_text("0")
    moderator = login(c.moderator)
    moderator.goto(reverse("forum:moderation_queue"))
    moderator.locator(f"#queue-answer-{answer.pk}").get_by_role("button", name="Approve").click()
    expect(moderator.locator(f"#queue-answer-{answer.pk}").get_by_role("status")).to_contain_text("Approved")

    expect(told.locator("#unread-count")).to_have_text(re.compile(r"^[1-9]"))  # live, without a reload
    told.get_by_role("link", name="Notifications").click()
    expect(told.get_by_text("Ellen mentioned you in")).to_be_visible()
    told.get_by_role("link", name=re.compile("Ellen mentioned you")).first.click()
    link = told.locator(f"#answer-{answer.pk}").get_by_role("link", name="@Priya Raman")
    expect(link).to_have_attribute("href", reverse("people:profile", args=[named.pk]))

"""What the site tells people in the browser: a visitor who presses a vote button is told why they are asked
to log in; counts updated live keep their words grammatical ("1 answer")."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.models import Status
from tests.browser.helpers import PASSWORD, community
from tests.factories import AnswerFactory, QuestionFactory, category, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_who_presses_vote_is_told_to_log_in_to_vote(page):
    c = community()
    page.goto(c.question.get_absolute_url())
    page.locator(f"#vote-answer-{c.member_answer.pk}").get_by_role("button", name="Vote up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.locator(".messages")).to_contain_text("Log in to vote.")

    page.get_by_label("Email").fill(c.asker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(c.question.get_absolute_url())))  # back to the post


def test_the_answer_count_stays_grammatical_when_an_answer_arrives_live(login, page):
    question = QuestionFactory(category=category("conditions"))
    pending = AnswerFactory(question=question, status=Status.PENDING, body="Keep a log of your readings.")
    moderator = login(make_moderator(display_name="Morgan"))

    page.goto(question.get_absolute_url())
    expect(page.locator("#answers-h")).to_have_text("0 answers")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")

    moderator.goto(reverse("forum:moderation_queue"))
    item = moderator.locator(f"#queue-answer-{pending.pk}")
    item.get_by_role("button", name="Approve").click()
    expect(item.get_by_role("status")).to_contain_text("Approved")

    expect(page.locator(f"#answer-{pending.pk}")).to_be_visible()
    expect(page.locator("#answers-h")).to_have_text("1 answer")  # the word follows the number

"""What the site tells a visitor in the browser: a visitor who presses a vote button is told why they are
asked to log in, and comes back to the post after logging in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, community

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

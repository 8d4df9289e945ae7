"""Asking one expert, end to end in a browser: a member presses "Ask this expert" on an expert's profile and
submits; a moderator approves it in the queue; the expert finds it in their inbox; a colleague of the same
specialty presses "I'm answering this", and the first expert's open inbox shows it at once (live)."""

import pytest
from playwright.sync_api import expect

from forum.models import Question, Status
from tests.browser.test_accessibility import serious_violations
from tests.factories import category, established_member, make_expert, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Can grief make me forget simple words?"


def test_a_question_asked_of_an_expert_reaches_their_inbox_and_a_colleague_answering_shows_live(login):
    ada = make_expert("mental-health", display_name="Dr. Ada Okafor")
    ben = make_expert("mental-health", display_name="Dr. Ben Marsh")
    member = established_member(display_name="Ellen")
    moderator = make_moderator(display_name="Morgan")

    asker = login(member)
    asker.goto(ada.get_absolute_url())
    asker.get_by_role("link", name="Ask this expert").click()
    expect(asker.get_by_role("note").filter(has_text="You are asking")).to_contain_text("Dr. Ada Okafor")
    assert serious_violations(asker) == []
    asker.get_by_label("Title").fill(TITLE)
    asker.get_by_label("Details").fill("Since my father died I keep losing ordinary words mid-sentence.")
    asker.get_by_label("Category").select_option(label=category("mental-health").name)
    asker.get_by_label("I accept the community terms").check()
    asker.get_by_role("button", name="Submit your question").click()
    expect(asker.get_by_role("heading", level=1)).to_be_visible()
    question = Question.objects.get(title=TITLE)
    assert question.addressed_to_expert_id == ada.pk and question.status == Status.PENDING

    reviewer = login(moderator)
    reviewer.goto("/moderation/")
    item = reviewer.locator("article, li, section").filter(has_text=TITLE).last
    item.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_text(TITLE)).to_have_count(0, timeout=10000)
    question.refresh_from_db()
    assert question.status == Status.APPROVED

    inbox = login(ada)
    inbox.goto("/")
    inbox.get_by_role("link", name="Expert inbox").click()
    row = inbox.locator(f"#inbox-{question.pk}")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Asked of you")
    expect(inbox.locator("body")).to_have_attribute("data-live-state", "open")
    assert serious_violations(inbox) == []

    colleague = login(ben)
    colleague.goto(question.get_absolute_url())
    colleague.get_by_role("button", name="I'm answering this").click()
    expect(colleague.locator("[data-claim-status]")).to_have_text("You are answering this (since just now).")

    expect(row).to_contain_text("Dr. Ben Marsh is answering this (since just now)")  # no reload
    assert serious_violations(colleague) == []  # the question page with the claim
    colleague.get_by_role("button", name="Stop").click()
    expect(row.locator("[data-claim-status]")).to_have_text("")

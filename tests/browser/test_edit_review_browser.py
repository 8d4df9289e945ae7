"""An author's edit of an approved question waits for review while everyone keeps reading the approved
version; a moderator approves it from its queue card, and open pages follow live."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.models import Revision
from tests.browser.helpers import community, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UPDATE = "Update: my doctor suggested a sleep diary for two weeks."


def test_an_edit_stays_out_of_public_view_until_a_moderator_approves_it_from_the_queue(login, page):
    c = community()
    old_text = "I lie awake going over everything that could go wrong at work."

    visitor = page
    visitor.goto(c.question.get_absolute_url())
    expect(visitor.locator("body")).to_have_attribute("data-live-state", "open")
    expect(visitor.locator("article.question")).to_contain_text(old_text)

    author = login(c.asker)
    author.goto(c.question.get_absolute_url())
    author.locator("article.question").get_by_role("link", name="Edit").click()
    details = author.get_by_label("Details")
    details.fill(details.input_value() + "\n\n" + UPDATE)
    author.get_by_role("button", name="Save changes").click()
    expect(author.get_by_role("heading", name="Your edit is awaiting review")).to_be_visible()
    expect(author.locator(".pending-edit")).to_contain_text(UPDATE)

    # Everyone else keeps the approved version: the open page, and a fresh load.
    expect(visitor.locator("article.question")).not_to_contain_text("sleep diary")
    visitor.reload()
    expect(visitor.locator("body")).to_have_attribute("data-live-state", "open")
    expect(visitor.locator("article.question")).to_contain_text(old_text)
    expect(visitor.locator("article.question")).not_to_contain_text("sleep diary")
    expect(visitor.get_by_role("link", name="edited")).to_have_count(0)

    proposal = Revision.objects.get(question=c.question, status=Revision.State.PENDING)
    moderator = login(c.moderator)
    moderator.goto(reverse("forum:moderation_queue"))
    card = moderator.locator(f"#queue-edit-{proposal.pk}")
    expect(card).to_contain_text("edit of question")
    expect(card.locator("ins")).to_contain_text(["Update:"])
    card.get_by_role("button", name="Approve").click()
    expect(card.get_by_role("status")).to_contain_text("Approved")
    assert wait_until(lambda: "sleep diary" in type(c.question).objects.get(pk=c.question.pk).body)

    # The visitor's open page takes the new text live, with the "edited" marker.
    expect(visitor.locator("article.question")).to_contain_text("sleep diary")
    edited = visitor.locator("article.question").get_by_role("link", name="edited")
    expect(edited).to_be_visible()
    edited.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Edit history")
    versions = visitor.locator("[data-version]")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Current version")
    expect(versions.nth(0).locator("ins")).to_contain_text(["Update:"])
    expect(versions.nth(1)).to_contain_text(old_text)
    expect(versions.nth(1)).not_to_contain_text("sleep diary")

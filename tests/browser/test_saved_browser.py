"""Saved posts in Chromium: a member presses Save under an answer, sees it pressed, opens Saved from the header
menu, writes a private note, sees it, and removes the post; the Saved page passes axe in light and dark mode."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.saving import services
from tests.browser.helpers import community
from tests.browser.test_accessibility import audit
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_saves_an_answer_notes_it_on_the_saved_page_and_removes_it(login):
    c = community()
    member = UserFactory(display_name="Rosa")
    page = login(member)
    page.goto(c.question.get_absolute_url())
    answer = page.locator(f"#answer-{c.member_answer.pk}")
    save = answer.get_by_role("button", name="Save this answer")
    expect(save).to_have_attribute("aria-pressed", "false")
    save.click()
    pressed = answer.get_by_role("button", name="Saved this answer")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    # The other answer is not saved.
    other = page.locator(f"#answer-{c.expert_answer.pk}").locator(".save-button")
    expect(other).to_have_attribute("aria-pressed", "false")
    # Still pressed after a reload: it was saved on the server.
    page.reload()
    expect(page.locator(f"#answer-{c.member_answer.pk}").locator(".save-button")).to_have_text(
        "Saved this answer"
    )

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Saved").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved")
    item = page.locator(".saved-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(c.question.title)
    expect(item).to_contain_text("Writing worries down before bed helped me.")

    item.get_by_label("Your private note").fill("Try this before the GP appointment")
    item.get_by_role("button", name="Save note").click()
    expect(page.locator(".saved-note")).to_have_text("Your note: Try this before the GP appointment")
    page.reload()
    expect(page.locator(".saved-note")).to_have_text("Your note: Try this before the GP appointment")

    page.locator(".saved-item").get_by_role("button", name="Remove from Saved").click()
    expect(page.get_by_role("status").filter(has_text="Removed from Saved.")).to_be_visible()
    expect(page.locator(".saved-item")).to_have_count(0)
    page.reload()
    expect(page.locator(".saved-item")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Nothing saved")


def test_another_member_sees_none_of_it(login):
    c = community()
    services.set_note(item=services.save(member=c.asker, post=c.member_answer), note="Cindy's own note")
    page = login(UserFactory())
    page.goto(c.question.get_absolute_url())
    expect(page.locator(f"#answer-{c.member_answer.pk}").locator(".save-button")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.goto(reverse("forum:saved"))
    expect(page.locator("main")).to_contain_text("Nothing saved")
    expect(page.locator("main")).not_to_contain_text("Cindy's own note")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_saved_page_has_no_serious_accessibility_problems(login, scheme):
    c = community()
    member = UserFactory()
    services.set_note(item=services.save(member=member, post=c.member_answer), note="A note")
    services.save(member=member, post=c.question)
    page = login(member, color_scheme=scheme)
    assert audit(page, [reverse("forum:saved"), c.question.get_absolute_url()], scheme) == {}

"""Layout: the pages fit a 360 px phone, and the expert answer stands out without shouting."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community.audit import log as audit
from tests.browser.helpers import community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sideways_overflow(page) -> list[str]:
    """Elements that stick out past the right edge of the viewport (which would scroll the page sideways)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.category-nav, .table-wrap'))
                .slice(0, 5).map(e => e.outerHTML.slice(0, 80));
        }"""
    )


def test_main_pages_fit_a_360px_phone_without_sideways_scrolling(login):
    c = community()
    member = login(c.asker, width=360, height=740)
    moderator = login(c.moderator, width=360, height=740)
    for page, path in [
        (member, "/"),
        (member, c.question.get_absolute_url()),
        (member, reverse("forum:ask")),
        (member, reverse("forum:search") + "?q=worrying"),
        (member, reverse("people:profile", args=[c.expert.pk])),
        (moderator, reverse("forum:moderation_queue")),
        (moderator, reverse("forum:audit_log")),
    ]:
        page.goto(path)
        assert sideways_overflow(page) == [], path


def test_expert_answer_is_marked_by_badge_credentials_and_a_quiet_accent(page):
    c = community()
    page.goto(c.question.get_absolute_url())
    expert = page.locator(f"#answer-{c.expert_answer.pk}")
    member = page.locator(f"#answer-{c.member_answer.pk}")
    expect(expert.locator(".expert-badge")).to_have_text("Mental Health Expert")
    expect(expert.locator(".credentials")).to_contain_text("Psychiatrist, Lakeview University Medical School")
    expect(member.locator(".expert-badge")).to_have_count(0)
    # Distinct (a coloured edge) but calm: same background and text size as any other answer.
    style = (
        "e => { const s = getComputedStyle(e); return [s.borderLeftWidth, s.backgroundColor, s.fontSize]; }"
    )
    expert_style, member_style = expert.evaluate(style), member.evaluate(style)
    assert expert_style[0] != member_style[0]
    assert expert_style[1:] == member_style[1:]


# --- The header: compact on a phone, one row on a desktop (issue "No traps", item 5) ---------------------


def header_height(page) -> float:
    return page.locator(".site-header").evaluate("e => e.getBoundingClientRect().height")


def test_header_is_compact_on_a_390px_phone_for_visitors_members_and_moderators(new_context, login):
    c = community()
    visitor = new_context(width=390, height=844).new_page()
    member = login(c.asker, width=390, height=844)
    moderator = login(c.moderator, width=390, height=844)
    for who, page in [("visitor", visitor), ("member", member), ("moderator", moderator)]:
        page.goto("/")
        assert header_height(page) <= 110, who


def test_secondary_links_are_reached_through_the_menu_on_a_phone(login):
    c = community()
    page = login(c.moderator, width=390, height=844)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    review = page.get_by_role("link", name="Review")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(review).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("searchbox", name="Search questions")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # Keyboard: Escape closes it and gives focus back to the button; Enter opens it again.
    page.get_by_role("link", name="Notifications").focus()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    review.click()
    expect(page).to_have_url(re.compile(reverse("forum:moderation_queue") + "$"))


def test_category_bar_that_scrolls_shows_a_hint_on_the_side_with_more(page):
    community()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    bar = page.locator(".category-bar")
    nav = page.get_by_role("navigation", name="Categories")
    assert nav.evaluate("e => e.scrollWidth > e.clientWidth")
    # The fade fades in (a transition): wait until the side's hint is fully shown.
    shown = "side => getComputedStyle(document.querySelector('.category-bar'), side).opacity === '1'"
    expect(bar).to_have_attribute("data-more", "right")
    page.wait_for_function(shown, arg="::after")
    nav.evaluate("e => e.scrollTo({left: e.scrollWidth})")
    expect(bar).to_have_attribute("data-more", "left")
    page.wait_for_function(shown, arg="::before")


def test_moderators_header_is_one_row_at_1280px_even_with_a_long_name(login):
    c = community()
    c.moderator.display_name = "Morgan Featherstonehaugh-Smythe"
    c.moderator.save(update_fields=["display_name"])
    page = login(c.moderator, width=1280, height=900)
    page.goto("/")
    # The middle of every visible link, field and button of the header row: one row if they line up.
    middles = """els => els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
        .map(r => Math.round(r.top + r.height / 2))"""
    tops = page.locator(".header-row").locator("a, input, button").evaluate_all(middles)
    assert max(tops) - min(tops) <= 4, tops
    expect(page.get_by_role("link", name="Morgan Featherstonehaugh-Smythe")).to_be_visible()


def test_audit_log_reads_as_cards_on_a_390px_phone_without_sideways_scrolling(login):
    c = community()
    audit.record(
        actor=c.moderator,
        action="expert_approve",
        target=c.expert,
        subject=c.expert,
        reason="Checked the licence with the registry; the institution confirmed the appointment by phone.",
    )
    page = login(c.moderator, width=390, height=844)
    page.goto(reverse("forum:audit_log"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    row = page.locator(".audit-table tbody tr").first
    assert row.evaluate("e => e.getBoundingClientRect().right <= document.documentElement.clientWidth")
    expect(row.get_by_role("link", name="Expert approved")).to_be_visible()
    # Each line says what it is (the column headings are not on screen).
    assert row.locator("td[data-label=Reason]").evaluate("e => getComputedStyle(e, '::before').content") == (
        '"Reason"'
    )
    page.get_by_label("Action").select_option(label="Expert approved")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=expert_approve"))
    expect(page.locator(".audit-table tbody tr")).to_have_count(1)

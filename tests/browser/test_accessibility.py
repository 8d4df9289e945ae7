"""Accessibility of every main page, in light and dark mode, for visitors, members and moderators.

axe-core (shipped by axe-playwright-python) must find no serious or critical violation; colour contrast
(WCAG AA) is one of its serious rules, so it is checked in both colour schemes. Headings, labels, focus,
the skip link, `lang` and live regions are checked directly.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from forum.posting import services
from tests.browser.helpers import (
    community,
    has_visible_focus_ring,
    heading_order_problems,
    unlabelled_fields,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe = Axe()


def serious_violations(page, only_rules=None) -> list[str]:
    options = {"resultTypes": ["violations"]}
    if only_rules:
        options["runOnly"] = {"type": "rule", "values": only_rules}
    results = axe.run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def audit(page, paths, scheme="light") -> dict[str, list[str]]:
    """Visit each path; collect axe's serious problems and heading-order problems per path.

    The markup is the same in both colour schemes, so dark mode runs only the colour-contrast rule.
    """
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        only = ["color-contrast"] if scheme == "dark" else None
        found = serious_violations(page, only) + heading_order_problems(page)
        if page.locator("html").get_attribute("lang") != "en":
            found.append("html lang is not 'en'")
        if found:
            problems[path] = found
    return problems


def public_paths(c) -> list[str]:
    return [
        reverse("forum:home"),
        reverse("forum:category", args=["mental-health"]),
        reverse("forum:category", args=["diet-fitness"]),  # empty: the empty state
        reverse("forum:tag", args=["anxiety"]),
        c.question.get_absolute_url(),
        reverse("forum:search") + "?q=worrying",
        reverse("forum:search") + "?q=nothing+matches+this",
        reverse("people:profile", args=[c.expert.pk]),
        reverse("forum:terms"),
        reverse("forum:privacy"),
        reverse("forum:comment_policy"),
        reverse("forum:question_history", args=[c.question.pk]),
    ]


def propose_edit(c):
    """The asker's edit of their approved question, awaiting review (notice, edit form, queue card)."""
    services.edit_question(
        editor=c.asker,
        question=c.question,
        title=c.question.title,
        body=c.question.body + "\n\nUpdate: my doctor suggested a sleep diary.",
        category=c.question.category,
        tags=["anxiety", "sleep"],
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_have_no_serious_accessibility_problems_for_visitors(new_context, scheme):
    c = community()
    page = new_context(color_scheme=scheme).new_page()
    paths = [*public_paths(c), reverse("account_login"), reverse("account_signup")]
    assert audit(page, paths, scheme) == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_member_pages_have_no_serious_accessibility_problems(login, scheme):
    c = community()
    propose_edit(c)
    page = login(c.asker, color_scheme=scheme)
    paths = [
        reverse("forum:home"),  # with "your questions awaiting review"
        c.question.get_absolute_url(),  # with the answer form and "your edit is awaiting review"
        reverse("forum:question_edit", args=[c.question.pk]),
        c.pending_question.get_absolute_url(),
        reverse("forum:ask"),
        reverse("people:profile", args=[c.asker.pk]),
        reverse("accounts:profile_edit"),
        reverse("forum:search") + "?q=worrying",
    ]
    assert audit(page, paths, scheme) == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_moderator_pages_have_no_serious_accessibility_problems(login, scheme):
    c = community()
    propose_edit(c)
    page = login(c.moderator, color_scheme=scheme)
    paths = [
        reverse("forum:moderation_queue"),  # with an edit's word diff
        reverse("forum:audit_log"),
        reverse("forum:expert_overdue"),
        c.question.get_absolute_url(),  # with the pending answer shown to moderators
        reverse("forum:home"),
    ]
    assert audit(page, paths, scheme) == {}


def test_form_pages_have_no_serious_problems_when_showing_errors(login):
    c = community()
    page = login(c.asker)
    page.goto(reverse("forum:ask"))
    page.get_by_role("button", name="Submit your question").click()
    expect(page.get_by_text("Please accept the community terms to post.")).to_be_visible()
    assert serious_violations(page) == []


def test_every_form_field_has_a_label(login, page):
    c = community()
    member_page = login(c.asker)
    for p, path in [
        (member_page, reverse("forum:ask")),
        (member_page, c.question.get_absolute_url()),
        (member_page, reverse("accounts:profile_edit")),
        (page, reverse("account_signup")),
        (page, reverse("account_login")),
        (page, reverse("forum:search")),
    ]:
        p.goto(path)
        assert unlabelled_fields(p) == [], path


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page):
    community()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert has_visible_focus_ring(page)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the content, not back in the header.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_every_tab_stop_shows_where_the_focus_is(login):
    c = community()
    page = login(c.asker)
    for path in ["/", reverse("forum:ask"), c.question.get_absolute_url()]:
        page.goto(path)
        stops, invisible = 0, []
        while stops < 60:
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break  # past the last stop: focus left the page
            stops += 1
            if not has_visible_focus_ring(page):
                invisible.append(page.evaluate("document.activeElement.outerHTML.slice(0, 100)"))
        assert stops > 10, f"only {stops} tab stops on {path}"
        assert invisible == [], f"no visible focus on {path}"


def test_live_content_is_announced_to_screen_readers(login):
    c = community()
    page = login(c.moderator)
    page.goto(c.question.get_absolute_url())
    expect(page.locator("#answer-list")).to_have_attribute("aria-live", "polite")
    page.goto(reverse("forum:moderation_queue"))
    expect(page.locator("#queue")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#live-status")).to_have_attribute("aria-live", "polite")

"""Layout: the pages fit a 360 px phone, and the expert answer stands out without shouting."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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
        (member, reverse("accounts:profile", args=[c.expert.pk])),
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

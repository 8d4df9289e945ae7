"""A vote changes the numbers of a cached question page and nothing else (forum.reading.scores): in the
browser, a member's click on "Vote up" shows at once, and the next visitor and the member's own reload see
the new score with the answers in reading order, the member's vote pressed for them only."""

import pytest
from playwright.sync_api import expect

from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_answer_voted_up_moves_above_the_older_one_for_the_next_visitor(login, page):
    question = QuestionFactory(category=category("conditions"), status=Status.APPROVED)
    older = AnswerFactory(question=question, body="A short walk after meals helped my readings.")
    newer = AnswerFactory(question=question, body="Keeping a log of my readings showed the pattern.")
    member = login(UserFactory(display_name="Priya"))

    page.goto(question.get_absolute_url())  # a visitor first: the page is now in the cache
    answers = page.locator("article.answer")
    expect(answers.first).to_have_attribute("id", f"answer-{older.pk}")

    member.goto(question.get_absolute_url())
    widget = member.locator(f"#vote-answer-{newer.pk}")
    widget.get_by_role("button", name="Vote up").click()
    expect(widget.locator(".score")).to_have_text("1")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")

    page.reload()
    expect(answers.first).to_have_attribute("id", f"answer-{newer.pk}")
    expect(page.locator(f"#vote-answer-{newer.pk} .score")).to_have_text("1")
    expect(page.locator(f"#vote-answer-{newer.pk}").get_by_role("button", name="Vote up")).to_have_attribute(
        "aria-pressed", "false"
    )

    member.reload()
    expect(member.locator("article.answer").first).to_have_attribute("id", f"answer-{newer.pk}")
    expect(
        member.locator(f"#vote-answer-{newer.pk}").get_by_role("button", name="Vote up")
    ).to_have_attribute("aria-pressed", "true")

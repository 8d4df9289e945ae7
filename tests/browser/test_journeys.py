"""The main journeys, each from a fresh browser context, as a person does them: sign up, ask, review,
answer, search, and ask with the keyboard alone."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from community.audit.models import AuditEntry
from forum.models import Answer, Question, Status
from tests.browser.helpers import community, has_visible_focus_ring, wait_until
from tests.factories import UserFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_visitor_signs_up_confirms_the_email_link_and_is_logged_in(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Display name").fill("Priya")
    page.get_by_label("Email").fill("priya@example.org")
    page.locator("#id_password1").fill("a calm river at dawn")
    page.locator("#id_password2").fill("a calm river at dawn")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify your email")
    assert wait_until(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == ["priya@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Priya")
    user = User.objects.get(email="priya@example.org")
    assert user.display_name == "Priya"
    assert user.emailaddress_set.get().verified


def test_member_must_accept_the_terms_then_sees_the_question_awaiting_review(login):
    member = UserFactory(display_name="Raj")
    page = login(member)
    page.goto("/")
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Title").fill("Is it normal to feel tired every afternoon?")
    page.get_by_label("Details").fill("Around 3pm I can barely keep my eyes open, even after a good night.")
    page.get_by_label("Category").select_option(label="Living Well")
    page.get_by_label("Tags").fill("energy, sleep")
    page.get_by_role("button", name="Submit your question").click()

    # Refused without the terms, with a message saying what to do, and nothing typed is lost.
    expect(page.get_by_text("Please accept the community terms to post.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Is it normal to feel tired every afternoon?")
    expect(page.get_by_label("Tags")).to_have_value("energy, sleep")
    assert not Question.objects.exists()

    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Submit your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your question")
    expect(page.get_by_text("will appear once a moderator approves it")).to_be_visible()
    page.get_by_role("link", name="View your question").click()
    expect(page.get_by_text("Awaiting review")).to_be_visible()
    question = Question.objects.get()
    assert (question.status, question.author) == (Status.PENDING, member)


def test_moderator_approves_one_item_and_rejects_another_without_leaving_the_queue(login):
    c = community()
    page = login(c.moderator)
    page.goto(reverse("forum:moderation_queue"))
    page.evaluate("window.stillThisPage = true")
    question_item = page.locator(f"#queue-question-{c.pending_question.pk}")
    answer_item = page.locator(f"#queue-answer-{c.pending_answer.pk}")

    question_item.get_by_role("button", name="Approve").click()
    expect(question_item.get_by_role("status")).to_contain_text("Approved")

    answer_item.get_by_label("Reason for rejecting").fill(
        "Please keep advice general; this reads as a diagnosis."
    )
    answer_item.get_by_role("button", name="Reject").click()
    expect(answer_item.get_by_role("status")).to_contain_text("Rejected")

    assert page.evaluate("window.stillThisPage") is True  # htmx swapped the results in place
    c.pending_question.refresh_from_db()
    c.pending_answer.refresh_from_db()
    assert c.pending_question.status == Status.APPROVED
    assert c.pending_answer.status == Status.REJECTED
    assert c.pending_answer.decision_reason == "Please keep advice general; this reads as a diagnosis."
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"approve", "reject"}


def test_member_answers_with_a_live_preview_and_sees_the_answer_awaiting_review(login):
    c = community()
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(c.question.get_absolute_url())
    body = page.get_by_role("textbox", name="Your answer")
    body.fill("**A fixed bedtime** helped me.\n\n- no screens after 9\n- <script>alert(1)</script>")
    preview = page.locator("[data-md-preview]")
    expect(preview.locator("strong")).to_have_text("A fixed bedtime")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("script")).to_have_count(0)

    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer will appear once a moderator approves it.")).to_be_visible()
    mine = Answer.objects.get(author=member)
    expect(page.locator(f"#answer-{mine.pk}")).to_contain_text("Awaiting review")
    assert mine.status == Status.PENDING
    assert "<strong>A fixed bedtime</strong>" in mine.body_html


def test_visitor_searches_from_the_header_and_opens_a_result(page):
    c = community()
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search questions").first
    search.fill("worrying")
    search.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_contain_text("1 result")
    page.get_by_role("link", name=c.question.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(c.question.title)
    # Content awaiting review is never found.
    page.goto(reverse("forum:search") + "?q=drinking+water")
    expect(page.get_by_text("No questions match")).to_be_visible()


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus; every stop on the way must show focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert has_visible_focus_ring(page), page.evaluate("document.activeElement.outerHTML.slice(0, 100)")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_member_asks_a_question_with_the_keyboard_alone(login):
    member = UserFactory()
    page = login(member)
    page.goto("/")
    tab_to(page, "a[href='/ask/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a health question")

    tab_to(page, "#id_title")
    page.keyboard.type("Can stress alone cause chest tightness?")
    tab_to(page, "#id_body")
    page.keyboard.type("When work gets busy my chest feels tight, but my heart checks were fine.")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")  # the first category
    tab_to(page, "#id_tags")
    page.keyboard.type("stress")
    tab_to(page, "#id_accept_terms")
    page.keyboard.press("Space")
    expect(page.locator("#id_accept_terms")).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your question")
    question = Question.objects.get()
    assert question.title == "Can stress alone cause chest tightness?"
    assert question.category == category("living-well")
    assert question.status == Status.PENDING

"""Nothing is lost while writing, and nothing asked twice, in Chromium: a long answer survives a reload and a
rate-limit page and is gone once posted; "Discard draft" empties the form; typing a title on the ask page
lists similar published questions (never one awaiting review) that open beside the form."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from forum import publication
from forum.models import Answer, Status
from tests.browser.helpers import community
from tests.browser.test_accessibility import serious_violations
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_ANSWER = (
    "What helped me most was a fixed time to stop working, every evening, even on busy days.\n\n"
    "- I write tomorrow's list at six\n- no work email on the phone after that\n"
    "- a short walk before dinner\n\nIt took about three weeks before I slept better."
)
RESTORED = "We restored your unsaved draft."


DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('forum-draft:'))"


def expect_no_drafts(page) -> None:
    """The page's script clears the draft once it has loaded (deferred): wait for it, fail if it never does."""
    page.wait_for_function(f"{DRAFT_KEYS}.length === 0")


def test_a_long_answer_survives_a_reload_and_is_gone_once_posted(login):
    c = community()
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(c.question.get_absolute_url())
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    page.get_by_role("textbox", name="Your answer").fill(LONG_ANSWER)

    page.reload()  # or a crash, or a closed tab
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value(LONG_ANSWER)
    expect(page.locator("[data-md-preview] li")).to_have_count(3)  # the preview shows the restored text
    assert serious_violations(page) == []

    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer will appear once a moderator approves it.")).to_be_visible()
    mine = Answer.objects.get(author=member)
    assert mine.status == Status.PENDING
    assert mine.body.replace("\r\n", "\n") == LONG_ANSWER
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    expect_no_drafts(page)

    page.goto(c.question.get_absolute_url())  # coming back later: a fresh form, nothing offered
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_a_rate_limit_page_loses_nothing_and_another_member_never_sees_the_draft(login, settings):
    c = community()
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(c.question.get_absolute_url())
    page.get_by_role("textbox", name="Your answer").fill(LONG_ANSWER)
    page.get_by_label("I accept the community terms").check()
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "answer": "0/h"}
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "answer": "0/h"}
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_role("heading", name="Please slow down")).to_be_visible()
    assert not Answer.objects.filter(author=member).exists()

    page.goto(c.question.get_absolute_url())
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value(LONG_ANSWER)
    expect(
        page.get_by_label("I accept the community terms")
    ).not_to_be_checked()  # consent is given each time

    # Someone else logging in on the same browser is not offered it.
    other = UserFactory(display_name="Frank")
    client = Client()
    client.force_login(other)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": page.url}])
    page.goto(c.question.get_absolute_url())
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_discard_draft_empties_the_form(login):
    community()
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(reverse("forum:ask"))
    page.get_by_label("Title").fill("Can stress cause a rash on my arms?")
    page.get_by_label("Details").fill("It comes and goes in busy weeks and itches at night.")
    page.get_by_label("Category").select_option(label="Living Well")
    page.reload()
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Can stress cause a rash on my arms?")
    expect(page.get_by_label("Category").locator("option:checked")).to_have_text("Living Well")

    page.get_by_role("button", name="Discard draft").click()
    expect(page.get_by_role("status").filter(has_text="Draft discarded.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_label("Details")).to_have_value("")
    expect(page.get_by_label("Category").locator("option:checked")).to_have_text("Choose a category")
    expect_no_drafts(page)
    page.reload()
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_a_form_sent_back_with_errors_is_not_overwritten_and_the_thanks_page_clears_the_draft(login):
    community()
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(reverse("forum:ask"))
    page.get_by_label("Title").fill("Can stress cause a rash on my arms?")
    page.get_by_label("Details").fill("It comes and goes in busy weeks and itches at night.")
    page.get_by_role("button", name="Submit your question").click()  # no category, no terms
    expect(page.get_by_text("Please accept the community terms to post.")).to_be_visible()
    expect(page.get_by_text(RESTORED)).to_have_count(0)  # the server kept the text; nothing is put back
    expect(page.get_by_label("Title")).to_have_value("Can stress cause a rash on my arms?")

    page.get_by_label("Category").select_option(label="Living Well")
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Submit your question").click()
    expect(page.get_by_role("heading", name="Thank you for your question")).to_be_visible()
    expect_no_drafts(page)
    page.goto(reverse("forum:ask"))
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_typing_a_title_lists_similar_published_questions_that_open_beside_the_form(login):
    c = community()  # its pending question: "Does drinking water really help with tiredness?"
    water = QuestionFactory(
        title="Is drinking water at night bad for sleep?",
        body="I wake up thirsty.",
        category=category("living-well"),
    )
    AnswerFactory(question=water, author=make_expert(), body="Small sips are fine.")
    for question in (water, c.question):
        publication.update_search_vector(question)
        publication.refresh_answer_count(question.pk)
    member = UserFactory(display_name="Ellen")
    page = login(member)
    page.goto(reverse("forum:ask"))
    similar = page.locator("#similar-questions")
    expect(similar).to_be_empty()

    page.get_by_label("Title").press_sequentially("Does drinking water help tiredness", delay=20)
    expect(similar.get_by_role("link", name=water.title)).to_be_visible()
    expect(similar).not_to_contain_text(c.pending_question.title)
    expect(similar).to_contain_text("Expert answered")
    assert serious_violations(page) == []

    with page.context.expect_page() as opened:
        similar.get_by_role("link", name=water.title).click()
    expect(opened.value.get_by_role("heading", level=1)).to_have_text(water.title)
    expect(page.get_by_label("Title")).to_have_value("Does drinking water help tiredness")

    page.get_by_label("Title").fill("Help")  # too short to compare: the list goes away
    expect(similar).to_be_empty()

"""The personal-data warning in a real browser: each of its buttons posts, on the ask form and the answer form.

The warning's buttons carry name="personal_data"; the browser sends the clicked one's value with the rest of
the form, so nothing else in the form may carry that name (an empty input after them would win).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.models import Answer, Question
from tests.browser.helpers import wait_until
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = "555-867-5309"
WARNING = "[data-personal-data-warning]"


def _ask_with_a_phone_number(page):
    page.goto(reverse("forum:ask"))
    page.get_by_label("Title").fill("Who should I call about my knee pain?")
    page.get_by_label("Details").fill(
        f"My knee hurts after running. Call me on {PHONE} if you know a clinic."
    )
    page.get_by_label("Category").select_option(label="Mental Health")
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Submit your question").click()
    expect(page.locator(WARNING)).to_be_visible()
    expect(page.locator(WARNING)).to_contain_text(PHONE)


def _answer_with_a_phone_number(page, question):
    page.goto(question.get_absolute_url())
    page.get_by_role("textbox", name="Your answer").fill(
        f"A physiotherapist helped me. Theirs is {PHONE}, ask for Dana."
    )
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(WARNING)).to_be_visible()
    expect(page.locator(WARNING)).to_contain_text(PHONE)


def test_remove_them_for_me_posts_the_question_without_the_phone_number(login):
    member = UserFactory()
    page = login(member)
    _ask_with_a_phone_number(page)
    page.get_by_role("button", name="Remove them for me and post").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    question = Question.objects.get(author=member)
    assert PHONE not in question.body
    assert "[removed]" in question.body


def test_post_anyway_posts_the_question_with_the_phone_number(login):
    member = UserFactory()
    page = login(member)
    _ask_with_a_phone_number(page)
    page.get_by_role("button", name="Post anyway").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    question = Question.objects.get(author=member)
    assert PHONE in question.body


def test_remove_them_for_me_posts_the_answer_without_the_phone_number(login):
    question = QuestionFactory()
    member = UserFactory()
    page = login(member)
    _answer_with_a_phone_number(page, question)
    page.get_by_role("button", name="Remove them for me and post").click()
    expect(page.locator(WARNING)).to_have_count(0)
    answer = wait_until(lambda: Answer.objects.filter(author=member, question=question).first())
    assert answer is not None
    assert PHONE not in answer.body
    assert "[removed]" in answer.body


def test_post_anyway_posts_the_answer_with_the_phone_number(login):
    question = QuestionFactory()
    member = UserFactory()
    page = login(member)
    _answer_with_a_phone_number(page, question)
    page.get_by_role("button", name="Post anyway").click()
    expect(page.locator(WARNING)).to_have_count(0)
    answer = wait_until(lambda: Answer.objects.filter(author=member, question=question).first())
    assert answer is not None
    assert PHONE in answer.body

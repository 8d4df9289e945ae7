"""Journeys around answers and experts, each person in a fresh browser context: voting, accepting,
applying as an expert and being verified, featuring, and live updates between two people's browsers."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import ExpertApplication, ExpertCredential
from community.notifications.models import Notification
from forum.models import Answer, Status, Vote
from tests.browser.helpers import community, wait_until
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("live", [True, False], ids=["on the live socket", "as a form post"])
def test_member_votes_an_answer_up_and_changes_their_mind(login, live):
    c = community()
    voter = UserFactory()
    page = login(voter)
    if not live:  # the socket cannot connect: the buttons post their form instead
        page.route_web_socket("**/ws/live/", lambda ws: ws.close())
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(c.question.get_absolute_url())
    if live:
        expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    widget = page.locator(f"#vote-answer-{c.member_answer.pk}")

    widget.get_by_role("button", name="Vote up").click()
    expect(widget.locator(".score")).to_have_text("1")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    widget.get_by_role("button", name="Vote down").click()
    expect(widget.locator(".score")).to_have_text("-1")
    expect(widget.get_by_role("button", name="Vote down")).to_have_attribute("aria-pressed", "true")

    vote = Vote.objects.get(voter=voter)
    assert (vote.answer_id, vote.value) == (c.member_answer.pk, -1)
    assert len([url for url in posts if "/votes/" in url]) == (0 if live else 2)
    page.reload()  # the page remembers
    expect(page.locator(f"#vote-answer-{c.member_answer.pk} .score")).to_have_text("-1")


def test_a_refused_socket_vote_is_explained_in_place(login):
    c = community()
    voter = UserFactory()
    page = login(voter)
    page.goto(c.question.get_absolute_url())
    expect(page.locator("body")).to_have_attribute("data-live-state", "open")
    Answer.objects.filter(pk=c.member_answer.pk).update(status=Status.HIDDEN)  # hidden since the page loaded
    widget = page.locator(f"#vote-answer-{c.member_answer.pk}")
    widget.get_by_role("button", name="Vote up").click()
    expect(widget.get_by_role("alert")).to_have_text("Only published answers can be voted on.")
    assert not Vote.objects.exists()


def test_nobody_can_vote_on_their_own_answer(login):
    c = community()
    page = login(c.member_answer.author)
    page.goto(c.question.get_absolute_url())
    expect(page.locator(f"#vote-answer-{c.member_answer.pk}").get_by_role("button").first).to_be_disabled()


def test_asker_accepts_the_answer_that_helped(login):
    c = community()
    page = login(c.asker)
    page.goto(c.question.get_absolute_url())
    answer = page.locator(f"#answer-{c.member_answer.pk}")
    answer.get_by_role("button", name="Accept").click()
    expect(page.locator(f"#answer-{c.member_answer.pk}")).to_contain_text("Accepted by the asker")
    c.question.refresh_from_db()
    assert c.question.accepted_answer_id == c.member_answer.pk
    # Accepted answers read first.
    expect(page.locator("#answer-list .answer").first).to_have_id(f"answer-{c.member_answer.pk}")


def test_health_professional_applies_and_a_moderator_verifies_them(login):
    c = community()
    doctor = UserFactory(display_name="Dr. Sam Lee")
    applicant = login(doctor)
    applicant.goto(reverse("accounts:expert_apply"))
    applicant.get_by_label("Profession").fill("Cardiologist")
    applicant.get_by_label("Conditions").check()
    applicant.get_by_label("Credentials line").fill("Cardiologist, Riverside Teaching Hospital")
    applicant.get_by_label("Institution").fill("Riverside Teaching Hospital")
    applicant.get_by_label("Licence or registration number").fill("MD-448812")
    applicant.get_by_label("Issued by").fill("State Medical Board")
    applicant.get_by_label("None declared").check()  # a conflict-of-interest statement is required
    applicant.get_by_role("button", name="Send my application").click()
    expect(applicant.get_by_text("A moderator will review your application.")).to_be_visible()
    application = ExpertApplication.objects.get(applicant=doctor)
    assert application.status == ExpertApplication.Status.PENDING

    moderator = login(c.moderator)
    moderator.goto(reverse("accounts:expert_queue"))
    moderator.get_by_role("link", name="Dr. Sam Lee").click()
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Cardiologist")
    moderator.get_by_label("Decision").select_option("approve")
    moderator.get_by_role("button", name="Record decision").click()
    expect(moderator.get_by_text("is now a verified")).to_be_visible()

    credential = ExpertCredential.objects.get(user=doctor)
    assert credential.is_active
    applicant.goto(reverse("people:profile", args=[doctor.pk]))
    expect(applicant.locator(".expert-badge")).to_have_text(credential.badge_label)


def test_moderator_features_an_expert_answer_on_the_home_page(login, page):
    c = community()
    moderator = login(c.moderator)
    moderator.goto(c.question.get_absolute_url())
    answer = moderator.locator(f"#answer-{c.expert_answer.pk}")
    answer.get_by_role("button", name="Feature on the home page").click()
    expect(moderator.locator(f"#answer-{c.expert_answer.pk}")).to_contain_text("Featured expert answer")
    assert Answer.objects.get(pk=c.expert_answer.pk).is_featured

    page.goto("/")
    featured = page.get_by_role("region", name="Expert answers")
    expect(featured).to_contain_text(c.question.title)
    expect(featured).to_contain_text("Dr. Ada Okafor")


def heading_top(page) -> float:
    return page.evaluate("document.querySelector('h1').getBoundingClientRect().top")


def test_answer_approved_by_a_moderator_appears_live_for_a_reader_without_moving_the_page(login, page):
    asker = UserFactory()
    question = QuestionFactory(author=asker, category=category("conditions"))
    pending = AnswerFactory(question=question, status=Status.PENDING, body="Keep a log of your readings.")
    moderator = login(make_moderator(display_name="Morgan"))

    page.goto(question.get_absolute_url())
    expect(page.get_by_text("No answers yet.")).to_be_visible()
    top_before = heading_top(page)

    moderator.goto(reverse("forum:moderation_queue"))
    item = moderator.locator(f"#queue-answer-{pending.pk}")
    item.get_by_role("button", name="Approve").click()
    expect(item.get_by_role("status")).to_contain_text("Approved")

    expect(page.locator(f"#answer-{pending.pk}")).to_contain_text("Keep a log of your readings.")
    expect(page.locator("#answer-list")).to_have_attribute("aria-live", "polite")
    assert heading_top(page) == top_before  # nothing the reader was looking at moved


def test_notification_arrives_live_while_the_member_reads_another_page(login):
    c = community()
    author = c.pending_answer.author
    member = login(author)
    member.goto("/")
    expect(member.locator("#unread-count")).to_have_text("0")

    moderator = login(c.moderator)
    moderator.goto(reverse("forum:moderation_queue"))
    moderator.locator(f"#queue-answer-{c.pending_answer.pk}").get_by_role("button", name="Approve").click()

    expect(member.locator("#unread-count")).to_have_text(re.compile(r"^[1-9]"))  # approved (+ a badge)
    assert wait_until(lambda: Notification.objects.filter(recipient=author, kind="approved").exists())
    member.get_by_role("link", name="Notifications").click()
    expect(member.get_by_text("was approved")).to_be_visible()

"""Trust and safety in a real browser: the crisis panel while writing, and the XSS corpus running nothing."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.models import Flag, Question, Status
from forum.moderation import flags
from tests.browser.helpers import community, wait_until
from tests.factories import QuestionFactory, UserFactory, make_moderator
from tests.safety.xss import xss_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _watch_console(page) -> list[str]:
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_crisis_panel_shows_while_typing_and_the_question_lands_first_in_the_queue_marked_urgent(login):
    older = QuestionFactory(status=Status.PENDING, title="An older question about my knees")
    member = UserFactory(display_name="Sam")
    page = login(member)
    console = _watch_console(page)
    page.goto(reverse("forum:ask"))
    panel = page.locator("[data-crisis-panel]")
    expect(panel).to_be_hidden()

    page.get_by_label("Title").fill("I cannot cope with work and home anymore")
    page.get_by_label("Details").fill(
        "Everything feels too much. I keep thinking about ending it, I want to end"
    )
    page.wait_for_timeout(400)
    expect(panel).to_be_hidden()  # nothing on the list yet ("end" alone is not a phrase)
    page.get_by_label("Details").press_sequentially(" my life")
    expect(panel).to_be_visible()  # before anything is submitted
    expect(panel).to_contain_text("988 Suicide & Crisis Lifeline")
    expect(panel.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    assert not Question.objects.filter(author=member).exists()

    page.get_by_label("Details").fill("Everything feels too much lately, work and home both.")
    expect(panel).to_be_hidden()  # the panel follows the text
    page.get_by_label("Details").fill("Everything feels too much. Some nights I want to end my life.")
    expect(panel).to_be_visible()

    page.get_by_label("Category").select_option(label="Mental Health")
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Submit your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.locator("[data-crisis-panel]")).to_be_visible()
    question = Question.objects.get(author=member)
    assert question.is_urgent

    moderator = login(make_moderator(display_name="Mo"))
    moderator.goto(reverse("forum:moderation_queue"))
    first = moderator.locator("[data-queue-item]").first
    expect(first).to_have_attribute("data-queue-item", f"question-{question.pk}")
    expect(first).to_contain_text("Urgent")
    expect(moderator.locator(f'[data-queue-item="question-{older.pk}"]')).to_be_visible()
    assert [c for c in console if "Content Security Policy" in c] == []


@pytest.mark.slow
def test_xss_corpus_opens_no_dialog_and_runs_no_script(login, page):
    urls = xss_world()
    dialogs = []
    for p in (page, login(UserFactory())):
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        console = _watch_console(p)
        for url in [*urls, "/", reverse("forum:search") + "?q=script"]:
            p.goto(url)
            p.wait_for_load_state("load")
            assert p.evaluate("window.__xss") is None, url
        # Hover and focus everything that could carry a handler, then look again.
        p.goto(urls[0])
        for element in p.locator("a, img, p, span").all()[:40]:
            with contextlib.suppress(Exception):  # hidden or detached elements are fine to skip
                element.hover(timeout=500)
        assert p.evaluate("window.__xss") is None
        assert [c for c in console if "Content Security Policy" in c and "inline" in c] == []
    assert dialogs == []
    page.evaluate("window.alert('control')")  # the listener does see dialogs: this test can fail
    assert dialogs == ["control"]


def test_moderator_sees_the_urgent_item_arrive_without_reloading(login):
    moderator = make_moderator(display_name="Mo")
    mod_page = login(moderator)
    mod_page.goto(reverse("forum:moderation_queue"))
    mod_page.wait_for_timeout(500)  # the socket subscribes
    member_page = login(UserFactory())
    member_page.goto(reverse("forum:ask"))
    member_page.get_by_label("Title").fill("I think about suicide most days now")
    member_page.get_by_label("Details").fill("I do not know who to talk to and I feel alone with it.")
    member_page.get_by_label("Category").select_option(label="Mental Health")
    member_page.get_by_label("I accept the community terms").check()
    member_page.get_by_role("button", name="Submit your question").click()
    assert wait_until(lambda: Question.objects.filter(is_urgent=True).exists())
    question = Question.objects.get(is_urgent=True)
    item = mod_page.locator(f'[data-queue-item="question-{question.pk}"]')
    expect(item).to_be_visible()  # arrived live, no reload
    expect(item).to_contain_text("Urgent")


def test_a_uk_member_sees_uk_crisis_lines_while_writing_and_after_submitting(login):
    member = UserFactory(display_name="Alex", country="GB")
    page = login(member)  # the browser says en-US: the member's own country wins
    page.goto(reverse("forum:ask"))
    panel = page.locator("[data-crisis-panel]")
    page.get_by_label("Title").fill("I cannot cope anymore")
    page.get_by_label("Details").fill("Some nights I want to end my life.")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Samaritans")
    expect(panel.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    expect(panel).not_to_contain_text("988")
    page.get_by_label("Category").select_option(label="Mental Health")
    page.get_by_label("I accept the community terms").check()
    page.get_by_role("button", name="Submit your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    shown = page.locator("[data-crisis-panel]")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("Samaritans")
    expect(shown.get_by_role("link", name="Call 999")).to_be_visible()


def test_member_flags_an_expert_answer_it_stays_up_and_moderators_see_it_urgent(login):
    world = community()
    answer = world.expert_answer
    for _ in range(2):  # two accounts flagged it already; the member's flag is the third
        flags.flag(flagger=UserFactory(), item=answer, reason="harmful")
    page = login(UserFactory(display_name="Riley"))
    page.goto(world.question.get_absolute_url())
    box = page.locator(f'[data-flag-for="answer-{answer.pk}"]')
    box.get_by_text("Flag", exact=True).click()
    box.get_by_label("Harmful or false medical information").check()
    box.get_by_role("button", name="Send flag").click()
    expect(page.get_by_text("Thank you. Moderators will look at it")).to_be_visible()
    assert wait_until(lambda: Flag.objects.filter(answer=answer).count() == 3)

    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    page.reload()
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("Worry becomes a problem")
    moderator = login(world.moderator)
    moderator.goto(reverse("forum:flagged"))
    first = moderator.locator("[data-flagged-item]").first
    expect(first).to_have_attribute("data-flagged-item", f"answer-{answer.pk}")
    expect(first).to_contain_text("Urgent")

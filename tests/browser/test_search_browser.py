"""Search in Chromium: the real form and its filter controls, the pager, the "Unanswered" list and the tag
index reached from the navigation; and axe-core on each of these pages in light and dark mode."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum import publication
from forum.posting import services
from forum.voting import services as voting
from tests.browser.helpers import community
from tests.browser.test_accessibility import audit
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def more_questions(c):
    """Besides the community's expert-answered question: one about worrying in another category, one in
    the same category without an expert's answer, and an unanswered one; all in the index."""
    other_category = QuestionFactory(
        title="Worrying about my blood test results", category=category("living-well"), body="Waiting a week."
    )
    other_category.tags.set(["tests"])
    no_expert = QuestionFactory(
        title="Worrying at night keeps me awake", category=category("mental-health"), body="Every night."
    )
    no_expert.tags.set(["sleep"])
    AnswerFactory(question=no_expert, body="A notebook by the bed helps me.")
    for question in (other_category, no_expert, c.question):
        publication.update_search_vector(question)
        publication.refresh_answer_count(question.pk)
    voting.vote(voter=UserFactory(), item=c.question, value=1)
    return other_category, no_expert


def result_titles(page):
    return page.locator("ol.question-list .q-title").all_inner_texts()


def test_visitor_narrows_a_search_with_the_filter_controls_and_pages_through(page, settings):
    c = community()
    other_category, no_expert = more_questions(c)
    page.goto(reverse("forum:search"))
    page.get_by_role("searchbox", name="Search questions").last.fill("worry")
    page.get_by_role("button", name="Search").last.click()
    expect(page.locator("ol.question-list")).to_contain_text(other_category.title)
    assert set(result_titles(page)) == {c.question.title, other_category.title, no_expert.title}

    page.get_by_label("Category").select_option(label="Mental Health")
    page.get_by_role("button", name="Search").last.click()
    expect(page.locator("ol.question-list")).not_to_contain_text(other_category.title)
    assert set(result_titles(page)) == {c.question.title, no_expert.title}

    page.get_by_label("Answered by a verified expert").check()
    page.get_by_label("Sort by").select_option(label="Most votes")
    page.get_by_role("button", name="Search").last.click()
    expect(page.locator("ol.question-list")).not_to_contain_text(no_expert.title)
    assert result_titles(page) == [c.question.title]
    # What was chosen stays chosen on the results page.
    expect(page.get_by_label("Answered by a verified expert")).to_be_checked()
    expect(page.get_by_label("Category")).to_have_value("mental-health")
    expect(page.get_by_label("Sort by")).to_have_value("votes")

    settings.FORUM_PAGE_SIZE = 1
    page.get_by_label("Answered by a verified expert").uncheck()
    page.get_by_label("Sort by").select_option(label="Newest")
    page.get_by_role("button", name="Search").last.click()
    first = result_titles(page)
    page.get_by_role("link", name="More results →").click()
    second = result_titles(page)
    assert len(first) == len(second) == 1 and {*first, *second} == {c.question.title, no_expert.title}
    expect(page.get_by_role("link", name="More results →")).to_have_count(0)


def test_a_misspelt_tag_is_explained_beside_the_field_and_the_words_stay(page):
    c = community()
    more_questions(c)
    page.goto(reverse("forum:search"))
    page.get_by_role("searchbox", name="Search questions").last.fill("worry")
    page.get_by_label("Tag").fill("anxeity")
    page.get_by_role("button", name="Search").last.click()
    expect(page.get_by_role("alert")).to_contain_text("No question is tagged “anxeity”")
    expect(page.get_by_role("searchbox", name="Search questions").last).to_have_value("worry")
    page.get_by_label("Tag").fill("anxiety")
    page.get_by_role("button", name="Search").last.click()
    assert result_titles(page) == [c.question.title]


def test_visitor_finds_unanswered_questions_and_tags_from_the_navigation(page):
    c = community()
    waiting = QuestionFactory(
        title="Is it normal to feel dizzy after yoga?", category=category("living-well")
    )
    waiting.tags.set(["yoga"])
    page.goto("/")
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Unanswered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unanswered questions")
    expect(page.locator("ol.question-list")).to_contain_text(waiting.title)
    expect(page.locator("ol.question-list")).not_to_contain_text(c.question.title)  # it has answers
    expect(page.locator("main")).not_to_contain_text(c.pending_question.title)

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Tags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tags")
    expect(page.locator(".tag-index")).to_contain_text("anxiety 1 question")
    page.get_by_role("link", name="yoga").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("yoga")


def test_an_anonymous_question_found_by_search_does_not_name_its_asker(page):
    asker = UserFactory(display_name="Harriet Knowsley")
    question = services.ask(
        author=asker,
        title="Private worry about a lump",
        body="I found it last week.",
        category=category("conditions"),
        is_anonymous=True,
        accepted_terms=True,
    )
    question.status, question.approved_at = "approved", question.created_at
    question.save()
    publication.update_search_vector(question)
    page.goto(reverse("forum:search") + "?q=lump")
    expect(page.locator("ol.question-list")).to_contain_text(question.title)
    expect(page.locator("main")).not_to_contain_text("Harriet")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_pages_have_no_serious_accessibility_problems(new_context, scheme):
    c = community()
    more_questions(c)
    page = new_context(color_scheme=scheme).new_page()
    paths = [
        reverse("forum:search"),
        reverse("forum:search") + "?q=worry&category=mental-health&expert=on&sort=votes",
        reverse("forum:search") + "?q=worry&tag=no-such-tag&unanswered=on&expert=on",  # errors shown
        reverse("forum:search") + "?q=heart+attack",  # no results
        reverse("forum:unanswered"),
        reverse("forum:tags"),
    ]
    assert audit(page, paths, scheme) == {}

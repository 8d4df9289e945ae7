"""Search as people use it, over HTTP: filters and sorts that combine with the words, keyset paging, tags and
experts' answers searched, and clear messages for what the form cannot use. Runs on SQLite (FTS5) and on
PostgreSQL (its search vector) alike."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Question
from forum.moderation import actions as moderation
from forum.voting import services as voting
from tests.factories import UserFactory, make_expert
from tests.search.helpers import answered, published, titles

pytestmark = pytest.mark.django_db

SEARCH = reverse("forum:search")


def test_a_question_is_found_by_its_tag(client, moderator):
    question = published(
        moderator, "Pounding head every afternoon", "It starts after lunch.", tags=["migraine"]
    )
    assert titles(client.get(SEARCH, {"q": "migraine"})) == [question.title]


def test_a_verified_experts_answer_is_searched_and_a_members_is_not(client, moderator):
    by_expert = published(moderator, "Cramps in my calves at night", "They wake me up.")
    answered(
        moderator, by_expert, "Magnesium rarely helps; stretching before bed does.", author=make_expert()
    )
    by_member = published(moderator, "Cramps after running", "Every long run.")
    answered(moderator, by_member, "Magnesium worked for me.")
    assert titles(client.get(SEARCH, {"q": "magnesium"})) == [by_expert.title]


def test_an_experts_answer_leaves_the_search_when_it_is_hidden(client, moderator):
    question = published(moderator, "Cramps in my calves at night", "They wake me up.")
    answer = answered(moderator, question, "Magnesium rarely helps.", author=make_expert())
    assert titles(client.get(SEARCH, {"q": "magnesium"})) == [question.title]
    moderation.hide(moderator=moderator, item=answer, reason="Checking a claim.")
    assert titles(client.get(SEARCH, {"q": "magnesium"})) == []


def test_each_filter_narrows_the_words_and_they_combine(client, moderator):
    expert = make_expert()
    in_mind = published(
        moderator, "Sleep and low mood", "Sleep is poor.", slug="mental-health", tags=["sleep"]
    )
    answered(moderator, in_mind, "Keep a regular wake time.", author=expert, accept=True)
    unanswered = published(moderator, "Sleep after night shifts", "Sleep in the day.", tags=["shift-work"])
    member_only = published(moderator, "Sleep and coffee", "Two cups.", tags=["sleep"])
    answered(moderator, member_only, "Stop at noon.")

    def found(**filters):
        return set(titles(client.get(SEARCH, {"q": "sleep", **filters})))

    assert found() == {in_mind.title, unanswered.title, member_only.title}
    assert found(category="mental-health") == {in_mind.title}
    assert found(tag="sleep") == {in_mind.title, member_only.title}
    assert found(tag="Shift work") == {unanswered.title}  # a tag's name works as well as its slug
    assert found(expert="on") == {in_mind.title}
    assert found(accepted="on") == {in_mind.title}
    assert found(unanswered="on") == {unanswered.title}
    assert found(tag="sleep", category="living-well") == {member_only.title}
    assert found(tag="sleep", expert="on", category="living-well") == set()


def test_filters_alone_list_matching_questions_newest_first(client, moderator):
    older = published(moderator, "Older unanswered", tags=["knees"])
    newer = published(moderator, "Newer unanswered", tags=["knees"])
    assert titles(client.get(SEARCH, {"tag": "knees"})) == [newer.title, older.title]


def test_sorting_by_newest_and_most_votes(client, moderator):
    first = published(moderator, "Sleep question one")
    second = published(moderator, "Sleep question two")
    third = published(moderator, "Sleep question three")
    for voter in [UserFactory(), UserFactory()]:
        voting.vote(voter=voter, item=first, value=1)
    voting.vote(voter=UserFactory(), item=third, value=1)
    assert titles(client.get(SEARCH, {"q": "sleep", "sort": "newest"})) == [
        third.title,
        second.title,
        first.title,
    ]
    assert titles(client.get(SEARCH, {"q": "sleep", "sort": "votes"})) == [
        first.title,
        third.title,
        second.title,
    ]
    assert titles(client.get(SEARCH, {"tag": "general", "sort": "votes"})) == [
        first.title,
        third.title,
        second.title,
    ]


@pytest.mark.parametrize("sort", ["relevance", "newest", "votes"])
def test_keyset_pages_show_every_match_once(client, moderator, settings, sort):
    settings.FORUM_PAGE_SIZE = 2
    made = [published(moderator, f"Sleep question {i}", "Sleep " * (i % 3 + 1)) for i in range(7)]
    for i, question in enumerate(made[:4]):
        for _ in range(i % 2 + 1):
            voting.vote(voter=UserFactory(), item=question, value=1)
    seen, params, pages = [], {"q": "sleep", "sort": sort}, 0
    while True:
        response = client.get(SEARCH, params)
        seen += titles(response)
        pages += 1
        cursor = response.context["results"].next_cursor
        if not cursor:
            break
        params["after"] = cursor
        assert f"after={cursor}" in response.content.decode()  # the "More results" link
    assert pages == 4
    assert sorted(seen) == sorted(q.title for q in made)


def test_a_cursor_that_is_not_ours_shows_the_first_page(client, moderator):
    question = published(moderator, "Sleep after surgery")
    for cursor in ["garbage", "1e999_5", "_", "abc_def"]:
        assert titles(client.get(SEARCH, {"q": "sleep", "after": cursor, "sort": "newest"})) == [
            question.title
        ]


def test_an_unknown_tag_is_said_next_to_the_field_and_keeps_what_was_typed(client, moderator):
    published(moderator, "Sleep after surgery")
    response = client.get(SEARCH, {"q": "sleep after", "tag": "no-such-tag", "expert": "on"})
    html = response.content.decode()
    assert "No question is tagged “no-such-tag”" in html
    assert 'value="sleep after"' in html and 'value="no-such-tag"' in html
    assert 'name="expert" id="id_expert" checked' in html
    assert response.context["results"].items == []


def test_unanswered_with_an_expert_answer_is_refused_with_a_reason(client, moderator):
    published(moderator, "Sleep after surgery")
    response = client.get(SEARCH, {"q": "sleep", "unanswered": "on", "expert": "on"})
    assert "cannot combine with an expert or accepted answer" in response.content.decode()
    assert response.context["results"].items == []


def test_an_unknown_sort_is_refused_and_words_that_are_only_punctuation_find_nothing(client, moderator):
    published(moderator, "Sleep after surgery")
    response = client.get(SEARCH, {"q": "sleep", "sort": "random"})
    assert "Select a valid choice" in response.content.decode()
    assert titles(client.get(SEARCH, {"q": "&&& !!"})) == []
    assert titles(client.get(SEARCH, {"q": "-sleep"})) == []


def test_relevance_without_words_is_newest(client, moderator):
    older = published(moderator, "Knee pain when running", tags=["knees"])
    Question.objects.filter(pk=older.pk).update(approved_at=timezone.now() - timezone.timedelta(days=3))
    newer = published(moderator, "Knee pain on stairs", tags=["knees"])
    response = client.get(SEARCH, {"tag": "knees", "sort": "relevance"})
    assert titles(response) == [newer.title, older.title]
    assert response.context["results"].sort == "newest"


def test_the_search_page_without_anything_shows_the_form_only(client, moderator):
    published(moderator, "Sleep after surgery")
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["results"].items == []
    assert 'name="category"' in response.content.decode()


def test_little_words_and_contractions_are_not_required(client, moderator):
    question = published(moderator, "Why do I wake up at 3am?", "Then I cannot get back to sleep.")
    assert titles(client.get(SEARCH, {"q": "can't sleep"})) == [question.title]
    assert titles(client.get(SEARCH, {"q": "how do i get back to sleep"})) == [question.title]

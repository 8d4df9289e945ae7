"""Lay and clinical words find each other, from a list kept as data that moderators edit in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from forum.models import Synonym
from forum.search import query
from tests.factories import make_moderator
from tests.search.helpers import published, titles

pytestmark = pytest.mark.django_db

SEARCH = reverse("forum:search")


@pytest.mark.parametrize(
    ("asked_as", "searched_for"),
    [
        ("Recovering from a myocardial infarction at 50", "heart attack"),
        ("Walking after my heart attack", "myocardial infarction"),
        ("Is hypertension in my twenties unusual?", "high blood pressure"),
        ("Insomnia since my new job", "can't sleep"),
        ("I can't sleep before exams", "insomnia"),
        ("Tinnitus after a concert", "ringing in the ears"),
    ],
)
def test_lay_and_clinical_words_find_each_other(client, moderator, asked_as, searched_for):
    question = published(moderator, asked_as, "Any advice is welcome.")
    published(moderator, "Something else entirely", "Nothing to do with it.")
    assert titles(client.get(SEARCH, {"q": searched_for})) == [question.title]


def test_the_seeded_list_holds_a_few_hundred_pairs():
    assert Synonym.objects.count() >= 300
    assert Synonym.objects.filter(lay_term="heart attack", clinical_term="myocardial infarction").exists()


def test_a_synonym_widens_a_phrase_but_other_words_still_have_to_match(client, moderator):
    running = published(moderator, "Running after a myocardial infarction", "Cardiac rehab is over.")
    published(moderator, "Swimming after a myocardial infarction", "Cardiac rehab is over.")
    assert titles(client.get(SEARCH, {"q": "running after heart attack"})) == [running.title]


def test_a_pair_a_moderator_adds_in_the_admin_is_used_by_the_next_search(client, moderator):
    question = published(moderator, "Is my plantar fasciitis getting worse?", "Mornings are the worst.")
    client.force_login(moderator)
    type(moderator).objects.filter(pk=moderator.pk).update(is_staff=True)
    assert titles(client.get(SEARCH, {"q": "policeman heel"})) == []
    response = client.post(
        reverse("admin:forum_synonym_add"),
        {"lay_term": "Policeman   HEEL", "clinical_term": "plantar fasciitis"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Synonym.objects.filter(lay_term="policeman heel").exists()  # stored tidied
    assert titles(client.get(SEARCH, {"q": "policeman heel"})) == [question.title]
    pair = Synonym.objects.get(lay_term="policeman heel")
    response = client.post(
        reverse("admin:forum_synonym_changelist"),
        {"action": "delete_selected", "_selected_action": [pair.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert titles(client.get(SEARCH, {"q": "policeman heel"})) == []


def test_the_moderators_group_may_edit_synonyms_and_members_may_not():
    codenames = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert {"add_synonym", "change_synonym", "delete_synonym"} <= codenames
    assert make_moderator().has_perm("forum.change_synonym")


def test_a_pair_of_the_same_words_is_refused_with_a_reason(admin_client):
    response = admin_client.post(
        reverse("admin:forum_synonym_add"), {"lay_term": "Can't sleep", "clinical_term": "cant sleep"}
    )
    assert "The two terms are the same words." in response.content.decode()


def test_the_query_language_keeps_phrases_exclusions_and_or():
    terms = query.parse('"sore throat" or tonsillitis -smoking', {})
    assert [[a.words for a in clause] for clause in terms.clauses] == [[("sore", "throat"), ("tonsillitis",)]]
    assert terms.clauses[0][0].phrase is True
    assert [a.words for a in terms.excluded] == [("smoking",)]
    assert query.to_fts5(terms) == '(("sore throat" OR ("tonsillitis"))) NOT (("smoking"))'


def test_a_hyphen_inside_a_word_is_not_an_exclusion():
    terms = query.parse("covid-19 x-ray", {("x", "ray"): [("radiograph",)]})
    assert terms.excluded == []
    assert [[a.words for a in clause] for clause in terms.clauses] == [
        [("covid",)],
        [("19",)],
        [("x", "ray"), ("radiograph",)],
    ]

"""Crisis resources at writing time: phrase matching (true and false positives), the panel, the urgent queue."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community import crisis_lines
from community.live import events
from forum.models import Answer, CrisisPhrase, Question, Revision, Status
from forum.safety import crisis
from tests.factories import QuestionFactory, category, make_expert, make_moderator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Lately I think about suicide every night.",
        "I want to KILL MYSELF",
        "Sometimes I just want to end   my life.",
        "I have been cutting myself again.",
        "Is self-harm something a GP can help with?",
        "I took an overdose last year.",
        "I feel like I want to die.",
    ],
)
def test_crisis_phrases_match_on_word_boundaries(text):
    assert crisis.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "I play games when I am killing time in the waiting room.",
        "Honestly this diet is killing me, I am always hungry.",
        "I am cutting carbs to lose weight.",
        "My mother is cutting my hair tomorrow.",
        "My dog would die for a biscuit.",
        "Is suicidality something? No wait, I meant suicidally tired jokes.",
        "The overdosed plants wilted.",
    ],
)
def test_everyday_phrases_are_not_crisis_language(text):
    assert crisis.find(text) == []


def test_the_phrase_list_is_data_editable_by_moderators():
    assert CrisisPhrase.objects.filter(phrase="kill myself").exists()  # seeded by the data migration
    assert not crisis.find("I feel hopeless about everything")
    CrisisPhrase.objects.create(phrase="Feel   Hopeless")
    assert crisis.find("I feel hopeless about everything") == ["feel hopeless"]
    CrisisPhrase.objects.filter(phrase="feel hopeless").update(is_active=False)

    cache.delete("forum:crisis-phrases")
    assert not crisis.find("I feel hopeless about everything")


def test_moderators_group_can_edit_phrases_in_the_admin():

    moderator = make_moderator()
    assert moderator.has_perm("forum.change_crisisphrase")
    assert moderator.has_perm("forum.add_crisisphrase")


def test_phrases_are_served_as_json_for_the_editor(client):
    response = client.get(reverse("forum:crisis_phrases"))
    assert response.status_code == 200
    assert "end my life" in response.json()["phrases"]


def test_ask_form_carries_a_hidden_crisis_panel_and_the_script(member_client):
    page = member_client.get(reverse("forum:ask")).content.decode()
    assert f'data-crisis-check="{reverse("forum:crisis_phrases")}"' in page
    assert "data-crisis-panel" in page
    assert "988 Suicide &amp; Crisis Lifeline" in page
    assert 'href="tel:988"' in page
    assert "/static/js/crisis.js" in page


def ask(client, **overrides):
    data = {
        "title": "I do not know how to keep going anymore",
        "body": "Some nights I want to end my life. I do not know who to talk to about it.",
        "category": category("mental-health").pk,
        "tags": "",
        "accept_terms": "on",
    }
    data.update(overrides)
    return client.post(reverse("forum:ask"), data)


def test_crisis_question_shows_resources_on_confirmation_and_lands_first_in_the_queue_marked_urgent(
    member_client, member, moderator_client
):
    older = QuestionFactory(status=Status.PENDING, title="An older pending question about knees")
    response = ask(member_client)
    question = Question.objects.get(author=member)
    assert question.is_urgent
    assert question.status == Status.PENDING
    done = member_client.get(response["Location"]).content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in done
    assert "data-crisis-panel" in done and "hidden" not in done.split("data-crisis-panel")[1].split(">")[0]
    own_page = member_client.get(question.get_absolute_url()).content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in own_page

    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert queue.index(f'data-queue-item="question-{question.pk}"') < queue.index(
        f'data-queue-item="question-{older.pk}"'
    )
    assert "Urgent:" in queue
    assert "Crisis language: end my life" in queue


def test_crisis_panel_is_not_shown_to_other_readers(member_client, member, moderator_client, client):
    ask(member_client)
    question = Question.objects.get(author=member)
    moderator_client.post(
        reverse("forum:moderation_decide", args=["question", question.pk]), {"decision": "approve"}
    )
    page = client.get(question.get_absolute_url()).content.decode()
    assert "988 Suicide" not in page


def test_crisis_answer_from_an_expert_still_goes_to_the_queue(client):
    expert = make_expert()
    question = QuestionFactory()
    client.force_login(expert)
    client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "If you are thinking about suicide, please call 988 now.", "accept_terms": "on"},
    )
    answer = Answer.objects.get()
    assert answer.is_urgent
    assert answer.status == Status.PENDING
    page = client.get(question.get_absolute_url()).content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in page  # the author sees the resources too


def test_moderators_are_told_live_about_an_urgent_post(member_client, member, monkeypatch):
    published = []
    real_publish = events.publish

    def spy(stream, type, data=None, **kwargs):
        published.append((stream, type, data))
        return real_publish(stream, type, data, **kwargs)

    monkeypatch.setattr(events, "publish", spy)
    ask(member_client)
    question = Question.objects.get(author=member)
    assert (
        events.MODERATION_STREAM,
        "queue.urgent",
        {"kind": "question", "id": question.pk, "urgent": True},
    ) in (published)


def test_ordinary_questions_send_no_urgent_event(member_client, monkeypatch):
    published = []
    monkeypatch.setattr(events, "publish", lambda stream, type, data=None, **kw: published.append(type))
    ask(
        member_client,
        title="How do I sleep better after night shifts?",
        body="I work nights and sleep badly.",
    )
    assert "queue.urgent" not in published


def test_resources_are_configurable_per_country(settings):
    assert crisis_lines.resources("GB")[0]["name"] == "Samaritans"
    assert crisis_lines.resources("ZZ")[0]["url"] == "https://findahelpline.com"  # no lines of its own
    settings.CRISIS_COUNTRY = "AU"
    assert crisis_lines.resources(None)[0]["name"] == "Lifeline Australia"


def test_an_edit_that_adds_crisis_language_reaches_the_urgent_queue(
    member_client, member, moderator_client, settings, monkeypatch
):
    settings.FORUM_REVIEW_EDITS = False  # even when ordinary edits stay public
    published = []
    real_publish = events.publish

    def spy(stream, type, data=None, **kwargs):
        published.append(type)
        return real_publish(stream, type, data, **kwargs)

    monkeypatch.setattr(events, "publish", spy)
    question = QuestionFactory(author=member)
    member_client.post(
        reverse("forum:question_edit", args=[question.pk]),
        {
            "title": question.title,
            "body": "Update: honestly I have started thinking about suicide.",
            "category": question.category_id,
            "tags": "",
        },
    )
    question.refresh_from_db()
    assert question.status == Status.APPROVED  # the approved version stays public meanwhile
    assert "suicide" not in question.body
    proposal = Revision.objects.get(question=question, status=Revision.State.PENDING)
    assert proposal.is_urgent
    assert "queue.urgent" in published
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-queue-item="edit-{proposal.pk}" data-urgent' in queue
    assert (
        "988 Suicide &amp; Crisis Lifeline" in member_client.get(question.get_absolute_url()).content.decode()
    )

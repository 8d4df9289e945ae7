"""An author's edit of public content waits for review while the approved version stays public: what
visitors, the author and moderators see, and how the moderation queue decides it (HTTP level). The browser
journey is in tests/browser/test_edit_review_browser.py."""

import pytest
from django.test import Client
from django.urls import reverse

from community.audit.models import AuditEntry
from community.live import events
from community.notifications.models import Notification
from forum import publication
from forum.models import Question, Revision, Status
from forum.moderation import actions as moderation
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db

OLD_BODY = "I wake up at night and cannot fall asleep again. What helps?"
NEW_BODY = "I wake up at night and cannot fall asleep again. Update: magnesium did not help."


@pytest.fixture
def question(member):
    question = QuestionFactory(author=member, title="How can I sleep through the night?", body=OLD_BODY)
    publication.update_search_vector(question)  # factories write rows directly; search needs the vector
    return question


def edit_question_over_http(client, question, *, body=NEW_BODY, title=None):
    return client.post(
        reverse("forum:question_edit", args=[question.pk]),
        {
            "title": title or question.title,
            "body": body,
            "category": question.category_id,
            "tags": "sleep",
            "edit_reason": "Added an update.",
        },
    )


def decide(client, proposal, decision, reason=""):
    return client.post(
        reverse("forum:moderation_decide", args=["edit", proposal.pk]),
        {"decision": decision, "reason": reason},
    )


def pending_proposal(post) -> Revision:
    return Revision.objects.get(**{post.kind_name: post}, status=Revision.State.PENDING)


def test_an_edit_awaiting_review_keeps_the_approved_question_public(client, member_client, question):
    response = edit_question_over_http(member_client, question)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.APPROVED
    assert question.body == OLD_BODY

    visitor_page = client.get(question.get_absolute_url())
    assert visitor_page.status_code == 200
    html = visitor_page.content.decode()
    assert "cannot fall asleep again. What helps?" in html
    assert "magnesium" not in html
    assert "Your edit is awaiting review" not in html
    assert question.title in client.get(reverse("forum:home")).content.decode()  # lists keep it too

    search = client.get(reverse("forum:search"), {"q": "sleep through"})
    assert [q.pk for q in search.context["results"].items] == [question.pk]


def test_an_edit_awaiting_review_sends_nothing_on_public_streams(member_client, question, monkeypatch):
    published = []
    monkeypatch.setattr(events, "publish", lambda stream, type, data=None, **kw: published.append(stream))
    edit_question_over_http(member_client, question)
    assert published and set(published) == {events.MODERATION_STREAM}


def test_the_author_sees_their_edit_awaiting_review_on_the_page_and_the_edit_form(member_client, question):
    follow = edit_question_over_http(
        member_client, question, title="How can I sleep through the whole night?"
    )
    page = member_client.get(follow["Location"]).content.decode()
    assert "Your edit is awaiting review" in page
    assert "Update: magnesium did not help." in page  # their pending text
    assert "How can I sleep through the whole night?" in page
    form = member_client.get(reverse("forum:question_edit", args=[question.pk])).content.decode()
    assert "Your edit is awaiting review" in form
    assert "Update: magnesium did not help." in form  # they continue from their pending text
    assert 'value="How can I sleep through the whole night?"' in form


def test_the_queue_card_shows_the_edit_as_a_word_diff(member_client, moderator_client, question):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-queue-item="edit-{proposal.pk}"' in queue
    assert "edit of question" in queue
    assert "<del>What</del><ins>Update:</ins>" in queue
    assert "<ins>magnesium did not help.</ins>" in queue


def test_approving_an_edit_applies_it_records_a_revision_and_tells_the_author(
    client, member, member_client, moderator, moderator_client, question, monkeypatch
):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    published = []
    real_publish = events.publish

    def spy(stream, type, data=None, **kwargs):
        published.append((stream, type))
        return real_publish(stream, type, data, **kwargs)

    monkeypatch.setattr(events, "publish", spy)
    assert decide(moderator_client, proposal, "approve").status_code == 302

    question.refresh_from_db()
    assert question.body == NEW_BODY and "magnesium" in question.body_html
    assert list(question.tags.names()) == ["sleep"]
    assert question.status == Status.APPROVED and question.edited_at is not None
    kept = Revision.objects.get(question=question, is_proposal=False)
    assert kept.body == OLD_BODY and kept.was_public
    assert AuditEntry.objects.filter(action="approve_edit", actor=moderator, subject=member).exists()
    assert Notification.objects.filter(recipient=member, kind="approved", text__contains="edit").exists()
    assert (events.question_stream(question.pk), "question.updated") in published
    assert (events.MODERATION_STREAM, "queue.decided") in published

    page = client.get(question.get_absolute_url()).content.decode()
    assert "magnesium did not help" in page
    history_url = reverse("forum:question_history", args=[question.pk])
    assert history_url in page  # the "edited" marker links to the history
    history = client.get(history_url).content.decode()
    assert "<del>What</del><ins>Update:</ins>" in history  # the diff between the two public versions
    assert "<ins>magnesium did not help.</ins>" in history


def test_rejecting_an_edit_keeps_the_approved_text_and_tells_the_author_why(
    client, member, member_client, moderator_client, question
):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    assert decide(moderator_client, proposal, "reject").status_code == 302  # no reason: refused
    assert pending_proposal(question) == proposal
    decide(moderator_client, proposal, "reject", reason="Please keep dosages out of the title.")
    question.refresh_from_db()
    assert question.body == OLD_BODY and question.edited_at is None
    proposal.refresh_from_db()
    assert proposal.status == Revision.State.REJECTED
    notice = Notification.objects.get(recipient=member, kind="rejected")
    assert "Please keep dosages out of the title." in notice.text
    history = client.get(reverse("forum:question_history", args=[question.pk])).content.decode()
    assert "magnesium" not in history  # a rejected proposal never appears in the public history
    assert "magnesium" not in member_client.get(question.get_absolute_url()).content.decode()


def test_a_second_edit_replaces_the_one_awaiting_review(
    member_client, moderator_client, question, monkeypatch
):
    edit_question_over_http(member_client, question)
    first = pending_proposal(question)
    published = []
    monkeypatch.setattr(
        events, "publish", lambda stream, type, data=None, **kw: published.append((type, data))
    )
    edit_question_over_http(member_client, question, body=NEW_BODY + " Melatonin neither.")
    assert (
        "queue.decided",
        {"kind": "edit", "id": first.pk, "status": "replaced", "by": "", "by_id": None},
    ) in (published)  # open queues mark the old card
    second = pending_proposal(question)
    assert second.pk != first.pk and second.body.endswith("Melatonin neither.")
    first.refresh_from_db()
    assert first.status == Revision.State.REPLACED
    response = moderator_client.post(
        reverse("forum:moderation_decide", args=["edit", first.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "replaced this edit with a newer one" in response.content.decode()
    question.refresh_from_db()
    assert question.body == OLD_BODY


def test_the_first_moderator_wins_on_an_edit(member_client, question):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    first, second = Client(), Client()
    first.force_login(make_moderator(display_name="Morgan"))
    second.force_login(make_moderator(display_name="Riley"))
    assert decide(first, proposal, "approve").status_code == 302
    late = second.post(
        reverse("forum:moderation_decide", args=["edit", proposal.pk]),
        {"decision": "reject", "reason": "No."},
        headers={"HX-Request": "true"},
    )
    assert late.status_code == 409
    assert "Already approved by Morgan" in late.content.decode()
    question.refresh_from_db()
    assert question.body == NEW_BODY


def test_an_edit_of_a_question_hidden_meanwhile_leaves_the_queue_and_cannot_be_applied(
    member_client, moderator, moderator_client, question
):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    moderation.hide(moderator=moderator, item=question, reason="Under review for misinformation.")
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-queue-item="edit-{proposal.pk}"' not in queue
    response = moderator_client.post(
        reverse("forum:moderation_decide", args=["edit", proposal.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "no longer public" in response.content.decode()
    question.refresh_from_db()
    assert question.body == OLD_BODY and question.status == Status.HIDDEN


def test_an_author_who_deletes_their_account_withdraws_their_edit_awaiting_review(
    member, member_client, moderator_client, question
):
    edit_question_over_http(member_client, question)
    proposal = pending_proposal(question)
    response = member_client.post(
        reverse("accounts:delete_account"), {"password": "correct horse battery", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Revision.objects.filter(pk=proposal.pk).exists()
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert f'data-queue-item="edit-{proposal.pk}"' not in queue
    question.refresh_from_db()
    assert question.body == OLD_BODY and question.status == Status.APPROVED


def test_edits_that_need_no_review_apply_at_once(moderator_client, client, question):
    edit_question_over_http(moderator_client, question)
    question.refresh_from_db()
    assert question.body == NEW_BODY
    assert not Revision.objects.filter(question=question, is_proposal=True).exists()
    assert (
        reverse("forum:question_history", args=[question.pk])
        in client.get(question.get_absolute_url()).content.decode()
    )


# --- Answers ----------------------------------------------------------------------------------------------

OLD_ANSWER = "A fixed bedtime and no screens for an hour before bed helped me."
NEW_ANSWER = "A fixed bedtime and no screens for two hours before bed helped me."


def test_an_answer_edit_waits_for_review_and_then_updates_the_page(
    client, member, member_client, moderator_client, monkeypatch
):
    answer = AnswerFactory(author=member, question=QuestionFactory(author=UserFactory()), body=OLD_ANSWER)
    publication.refresh_answer_count(answer.question_id)
    response = member_client.post(reverse("forum:answer_edit", args=[answer.pk]), {"body": NEW_ANSWER})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED and answer.body == OLD_ANSWER
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert "an hour before bed" in page and "two hours" not in page
    assert Question.objects.get(pk=answer.question_id).answer_count == 1  # counts keep it

    own = member_client.get(answer.question.get_absolute_url()).content.decode()
    assert "Your edit of" in own and "awaiting review" in own and "two hours" in own
    form = member_client.get(reverse("forum:answer_edit", args=[answer.pk])).content.decode()
    assert "Your edit is awaiting review" in form and "two hours" in form

    proposal = pending_proposal(answer)
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert "edit of answer" in queue and "<del>an</del><ins>two</ins>" in queue
    published = []
    monkeypatch.setattr(events, "publish", lambda stream, type, data=None, **kw: published.append(type))
    decide(moderator_client, proposal, "approve")
    assert "answer.updated" in published

    answer.refresh_from_db()
    assert answer.body == NEW_ANSWER and answer.edited_at is not None
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert "two hours" in page
    history_url = reverse("forum:answer_history", args=[answer.pk])
    assert history_url in page
    history = client.get(history_url).content.decode()
    assert "<del>an</del><ins>two</ins>" in history and "<del>hour</del><ins>hours</ins>" in history


def test_a_rejected_answer_edit_is_never_shown_to_others(client, member, member_client, moderator_client):
    answer = AnswerFactory(author=member, body=OLD_ANSWER)
    member_client.post(reverse("forum:answer_edit", args=[answer.pk]), {"body": NEW_ANSWER})
    decide(moderator_client, pending_proposal(answer), "reject", reason="Please cite a source.")
    answer.refresh_from_db()
    assert answer.body == OLD_ANSWER
    assert "two hours" not in client.get(reverse("forum:answer_history", args=[answer.pk])).content.decode()
    assert Notification.objects.filter(recipient=member, text__contains="Please cite a source.").exists()

"""Moderator tools at the HTTP level: revisions and diffs, hide, lock, duplicates, soft delete, notices."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.models import Answer, Question, Revision, Status
from forum.posting import services
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def act(client, kind, item, action, reason="Breaks the comment policy.", **extra):
    return client.post(
        reverse("forum:moderate_action", args=[kind, item.pk, action]), {"reason": reason, **extra}
    )


def test_moderator_edit_keeps_a_revision_and_shows_an_escaped_diff(moderator_client, moderator, member):
    question = QuestionFactory(author=member, body="My doctor <b>Smith</b> said to rest. It did not help.")
    response = moderator_client.post(
        reverse("forum:question_edit", args=[question.pk]),
        {
            "title": question.title,
            "body": "My doctor said to rest. It did not help.",
            "category": question.category_id,
            "tags": "",
            "edit_reason": "Removed the doctor's name.",
        },
    )
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert revision.editor == moderator
    assert "Smith" in revision.body
    entry = AuditEntry.objects.get(action="edit")
    assert entry.reason == "Removed the doctor's name."

    page = moderator_client.get(
        reverse("forum:moderate_item", args=["question", question.pk])
    ).content.decode()
    assert "<del> &lt;b&gt;Smith&lt;/b&gt;</del>" in page  # the removed words, escaped, marked as deleted
    assert "<b>Smith</b>" not in page.split("Revision history")[1]


def test_author_edits_are_kept_as_revisions_too(member_client, member, settings):
    settings.FORUM_REVIEW_EDITS = (
        False  # the edit applies at once (with review, see tests/forum/test_edits.py)
    )
    answer = AnswerFactory(author=member, body="Try chamomile tea before bed.")
    member_client.post(
        reverse("forum:answer_edit", args=[answer.pk]), {"body": "Try chamomile tea an hour before bed."}
    )
    kept = Revision.objects.get(answer=answer)
    assert kept.body == "Try chamomile tea before bed."
    assert kept.was_public and not kept.is_proposal


def test_revision_history_is_for_moderators_only(member_client, member):
    question = QuestionFactory(author=member)
    assert (
        member_client.get(reverse("forum:moderate_item", args=["question", question.pk])).status_code == 403
    )


def test_hide_needs_a_reason_and_the_author_is_told_with_an_appeal_link(moderator_client, member, client):
    answer = AnswerFactory(author=member)
    response = act(moderator_client, "answer", answer, "hide", reason="")
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert response.status_code == 302

    act(moderator_client, "answer", answer, "hide", reason="Names another member.")
    answer.refresh_from_db()
    assert answer.status == Status.HIDDEN
    assert answer.body not in client.get(answer.question.get_absolute_url()).content.decode()
    note = Notification.objects.get(recipient=member, kind="moderation")
    assert "Names another member." in note.text
    client.force_login(member)
    notices = client.get(reverse("forum:notices")).content.decode()
    assert "Hidden by a moderator" in notices
    assert "Names another member." in notices
    entry = AuditEntry.objects.get(action="hide")
    assert reverse("forum:appeal_new", args=[entry.pk]) in notices

    act(moderator_client, "answer", answer, "unhide", reason="Edited by the author.")
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED


def test_locked_question_replaces_the_answer_form_and_refuses_answers(moderator_client, member_client):
    question = QuestionFactory()
    act(moderator_client, "question", question, "lock", reason="Heated thread.")
    page = member_client.get(question.get_absolute_url()).content.decode()
    assert "locked by the moderators" in page
    assert reverse("forum:answer_create", args=[question.pk]) not in page
    response = member_client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Still answering this one anyway.", "accept_terms": "on"},
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()

    act(moderator_client, "question", question, "unlock", reason="Calmer now.")
    assert (
        reverse("forum:answer_create", args=[question.pk])
        in member_client.get(question.get_absolute_url()).content.decode()
    )


def test_service_refuses_answers_to_a_locked_question(member):

    question = QuestionFactory(is_locked=True)
    with pytest.raises(PermissionDenied):
        services.answer(
            author=member, question=question, body="An answer that should fail.", accepted_terms=True
        )


def test_close_as_duplicate_links_both_ways(moderator_client, client):
    original = QuestionFactory(title="How much water should I drink a day?")
    duplicate = QuestionFactory(title="Daily water intake, how much?")
    act(moderator_client, "question", duplicate, "close", reason="Asked before.", original=str(original.pk))
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    dup_page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "Closed as a duplicate of" in dup_page
    assert original.get_absolute_url() in dup_page
    assert reverse("forum:answer_create", args=[duplicate.pk]) not in dup_page
    orig_page = client.get(original.get_absolute_url()).content.decode()
    assert "Also asked as" in orig_page
    assert duplicate.get_absolute_url() in orig_page

    act(moderator_client, "question", duplicate, "reopen", reason="Different situation.")
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of is None


def test_a_question_cannot_be_closed_as_a_duplicate_of_itself_or_of_hidden_content(moderator_client):
    question = QuestionFactory()
    pending = QuestionFactory(status=Status.PENDING)
    act(moderator_client, "question", question, "close", original=str(question.pk))
    act(moderator_client, "question", question, "close", original=str(pending.pk))
    question.refresh_from_db()
    assert question.duplicate_of is None


def test_soft_deleted_content_is_visible_to_moderators_only_and_can_be_restored(
    moderator_client, member, member_client, client
):
    question = QuestionFactory(author=member, title="A question that will be deleted")
    act(moderator_client, "question", question, "delete", reason="Spam.")
    question.refresh_from_db()
    assert question.status == Status.DELETED
    assert client.get(question.get_absolute_url()).status_code == 404
    assert member_client.get(question.get_absolute_url()).status_code == 404  # the author too
    assert "A question that will be deleted" not in member_client.get("/").content.decode()
    moderator_page = moderator_client.get(question.get_absolute_url())
    assert moderator_page.status_code == 200
    assert "Deleted — only moderators can see this." in moderator_page.content.decode()

    act(moderator_client, "question", question, "restore", reason="Not spam after all.")
    question.refresh_from_db()
    assert question.status == Status.APPROVED
    assert client.get(question.get_absolute_url()).status_code == 200


def test_deleting_a_pending_item_and_restoring_returns_it_to_review(moderator_client):
    question = QuestionFactory(status=Status.PENDING)
    act(moderator_client, "question", question, "delete")
    act(moderator_client, "question", question, "restore")
    question.refresh_from_db()
    assert question.status == Status.PENDING


def test_every_action_is_in_the_audit_log_with_its_reason(moderator_client):
    question = QuestionFactory()
    original = QuestionFactory()
    for action, extra in [
        ("hide", {}),
        ("unhide", {}),
        ("lock", {}),
        ("unlock", {}),
        ("close", {"original": str(original.pk)}),
        ("reopen", {}),
        ("delete", {}),
        ("restore", {}),
    ]:
        act(moderator_client, "question", question, action, reason=f"reason for {action}", **extra)
    actions = dict(AuditEntry.objects.values_list("action", "reason"))
    assert actions == {
        "hide": "reason for hide",
        "unhide": "reason for unhide",
        "lock": "reason for lock",
        "unlock": "reason for unlock",
        "close_duplicate": "reason for close",
        "reopen": "reason for reopen",
        "delete": "reason for delete",
        "restore": "reason for restore",
    }
    assert Question.objects.get(pk=question.pk).status == Status.APPROVED


def test_moderation_notices_are_only_the_members_own(member_client, member, other_member, moderator_client):
    mine = QuestionFactory(author=member, title="My own question here")
    theirs = QuestionFactory(author=other_member, title="Somebody else's question")
    act(moderator_client, "question", mine, "lock", reason="Mine locked")
    act(moderator_client, "question", theirs, "lock", reason="Theirs locked")
    page = member_client.get(reverse("forum:notices")).content.decode()
    assert "Mine locked" in page
    assert "Theirs locked" not in page
    assert "Morgan" not in page  # the moderator's name is not shown to members

"""Warn, suspend, ban; what a restricted member sees; appeals as a thread to the moderators."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.audit.models import AuditEntry
from community.live import events
from community.notifications.models import Notification
from forum import publication
from forum.models import Answer, Appeal, Flag, Question, Sanction, Status, Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator

pytestmark = pytest.mark.django_db


def sanction(client, member, kind, reason="Repeated insults.", **extra):
    return client.post(
        reverse("forum:member_sanction", args=[member.pk]), {"kind": kind, "reason": reason, **extra}
    )


def ask_data():
    return {
        "title": "Is it normal to feel tired all afternoon?",
        "body": "Every day around 3pm I can barely keep my eyes open, even after a good night.",
        "category": category("living-well").pk,
        "tags": "",
        "accept_terms": "on",
    }


def test_suspended_member_cannot_post_answer_vote_or_flag_and_sees_why_and_until_when(
    moderator_client, member, member_client
):
    response = sanction(moderator_client, member, "suspend", reason="Insulting other members.", days="7")
    assert response.status_code == 302
    row = Sanction.objects.get()
    assert row.ends_at.date() == (timezone.now() + timedelta(days=7)).date()

    page = member_client.get(reverse("forum:ask"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "Your account is suspended" in text
    assert "Insulting other members." in text
    assert row.ends_at.strftime("%-d %B %Y") in text

    assert member_client.post(reverse("forum:ask"), ask_data()).status_code == 403
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    response = member_client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "An answer from a suspended member.", "accept_terms": "on"},
    )
    assert response.status_code == 403
    assert "Insulting other members." in response.content.decode()
    vote = member_client.post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    assert vote.status_code == 403
    flag = member_client.post(reverse("forum:flag", args=["answer", answer.pk]), {"reason": "spam"})
    assert flag.status_code == 403
    assert not Question.objects.filter(author=member).exists()
    assert not Answer.objects.filter(author=member).exists()
    assert not Vote.objects.filter(voter=member).exists()
    assert not Flag.objects.filter(flagger=member).exists()
    # The question page replaces the answer form with the notice.
    assert (
        "Your account is suspended until" in member_client.get(question.get_absolute_url()).content.decode()
    )


def test_suspension_ends_by_itself(moderator_client, member, member_client):
    sanction(moderator_client, member, "suspend", days="1")
    Sanction.objects.update(ends_at=timezone.now() - timedelta(minutes=1))
    assert member_client.get(reverse("forum:ask")).status_code == 200


def test_ban_with_hidden_content_and_lifting_it(moderator_client, member, member_client, client):
    question = QuestionFactory(author=member, title="A banned member's question")
    answer = AnswerFactory(author=member)
    sanction(moderator_client, member, "ban", reason="Selling fake cures.", hide_content="on")
    assert Question.objects.get(pk=question.pk).status == Status.HIDDEN
    assert Answer.objects.get(pk=answer.pk).status == Status.HIDDEN
    assert "A banned member's question" not in client.get("/").content.decode()
    page = member_client.get(reverse("forum:ask"))
    assert page.status_code == 403
    assert "Your account is banned" in page.content.decode()

    row = Sanction.objects.get()
    moderator_client.post(reverse("forum:sanction_lift", args=[row.pk]), {"reason": "Appeal accepted."})
    assert member_client.get(reverse("forum:ask")).status_code == 200
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"ban", "lift"}


def test_warning_does_not_restrict_but_is_notified(moderator_client, member, member_client):
    sanction(moderator_client, member, "warn", reason="Please be kinder.")
    assert member_client.get(reverse("forum:ask")).status_code == 200
    note = Notification.objects.get(recipient=member)
    assert "Please be kinder." in note.text
    assert reverse("forum:notices") in note.url


def test_suspension_needs_a_reason_and_a_period(moderator_client, member):
    assert sanction(moderator_client, member, "suspend", reason="", days="3").status_code == 400
    assert sanction(moderator_client, member, "suspend", reason="Spam").status_code == 400
    assert not Sanction.objects.exists()


def test_moderators_cannot_sanction_each_other(moderator_client):

    other = make_moderator()
    sanction(moderator_client, other, "ban")
    assert not Sanction.objects.exists()


def test_member_appeals_and_moderators_answer_in_a_thread(moderator_client, member, member_client):
    sanction(moderator_client, member, "warn", reason="Off-topic advertising.")
    entry = AuditEntry.objects.get(action="warn")
    response = member_client.post(
        reverse("forum:appeal_new", args=[entry.pk]), {"body": "It was a link to a free NHS leaflet."}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()

    appeals_page = moderator_client.get(reverse("forum:appeals")).content.decode()
    assert appeal.get_absolute_url() in appeals_page
    thread = moderator_client.get(appeal.get_absolute_url()).content.decode()
    assert "free NHS leaflet" in thread

    moderator_client.post(
        appeal.get_absolute_url(), {"body": "You are right, the warning is withdrawn.", "action": "close"}
    )
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert "the warning is withdrawn" in member_client.get(appeal.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=member, text__contains="withdrawn").exists()


def test_one_open_appeal_per_action(moderator_client, member, member_client):
    sanction(moderator_client, member, "warn")
    entry = AuditEntry.objects.get()
    url = reverse("forum:appeal_new", args=[entry.pk])
    member_client.post(url, {"body": "First"})
    response = member_client.post(url, {"body": "Second"})
    assert response.status_code == 400
    assert "already have an open appeal" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_members_cannot_appeal_or_read_what_does_not_concern_them(moderator_client, member, other_member):
    sanction(moderator_client, member, "warn")
    entry = AuditEntry.objects.get()
    intruder = Client()
    intruder.force_login(other_member)
    assert intruder.get(reverse("forum:appeal_new", args=[entry.pk])).status_code == 404
    owner = Client()
    owner.force_login(member)
    owner.post(reverse("forum:appeal_new", args=[entry.pk]), {"body": "Please reconsider."})
    appeal = Appeal.objects.get()
    assert intruder.get(appeal.get_absolute_url()).status_code == 404
    assert intruder.post(appeal.get_absolute_url(), {"body": "hijack"}).status_code == 404
    assert appeal.messages.count() == 1


def test_restricted_member_sees_a_short_notice_on_htmx_requests(moderator_client, member, member_client):
    sanction(moderator_client, member, "ban", reason="Spam.")
    answer = AnswerFactory()
    response = member_client.post(
        reverse("forum:flag", args=["answer", answer.pk]), {"reason": "spam"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert "<html" not in response.content.decode()
    assert "banned" in response.content.decode()


def test_member_moderation_page_is_for_moderators(member_client, other_member):
    url = reverse("forum:member_moderation", args=[other_member.pk])
    assert member_client.get(url).status_code == 403
    assert UserFactory() is not None


def test_the_question_page_shows_the_answer_form_or_the_notice_as_sanctions_start_and_end(
    moderator_client, member, member_client, monkeypatch
):
    # What the page shows is cached per member and dropped whenever one of their sanctions changes.
    question = QuestionFactory()

    def shows_form() -> bool:
        html = member_client.get(question.get_absolute_url()).content.decode()
        return reverse("forum:answer_create", args=[question.pk]) in html

    assert shows_form() and shows_form()  # the second from the cache
    sanction(moderator_client, member, "suspend", reason="Insulting other members.", days="7")
    assert not shows_form()
    row = Sanction.objects.get()
    real_now = timezone.now
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: real_now() + timedelta(days=8))  # the suspension has run out
        assert shows_form()
    row.ends_at = timezone.now() + timedelta(days=1)
    row.save()
    assert not shows_form()
    row.delete()
    assert shows_form()


def test_hiding_a_members_content_is_one_update_per_kind_and_one_recount_per_question(
    moderator_client, member, monkeypatch
):
    busy, quiet = QuestionFactory(), QuestionFactory()
    own_questions = [QuestionFactory(author=member) for _ in range(2)]
    own_answers = [AnswerFactory(author=member, question=busy) for _ in range(4)]
    own_answers.append(AnswerFactory(author=member, question=quiet))
    AnswerFactory(question=busy)  # another member's answer stays public
    for question in (busy, quiet):
        publication.refresh_answer_count(question.pk)
    published = []
    monkeypatch.setattr(
        events, "publish", lambda stream, type, data=None, **kw: published.append((type, data))
    )

    with CaptureQueriesContext(connection) as queries:
        response = sanction(moderator_client, member, "ban", hide_content="on")

    assert response.status_code == 302
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([sql for sql in updates if sql.startswith('UPDATE "forum_question" SET "status"')]) == 1
    assert len([sql for sql in updates if sql.startswith('UPDATE "forum_answer" SET "status"')]) == 1
    assert len([sql for sql in updates if sql.startswith('UPDATE "forum_question" SET "answer_count"')]) == 2
    assert not Question.objects.filter(author=member, status=Status.APPROVED).exists()
    assert not Answer.objects.filter(author=member, status=Status.APPROVED).exists()
    assert set(Answer.objects.filter(author=member).values_list("previous_status", flat=True)) == {"approved"}
    assert Question.objects.get(pk=busy.pk).answer_count == 1
    assert Question.objects.get(pk=quiet.pk).answer_count == 0
    # The same live effects as one hide each: every item leaves the open pages and feeds.
    removed_answers = sorted(data["answer_id"] for type_, data in published if type_ == "answer.removed")
    assert removed_answers == sorted(a.pk for a in own_answers)
    removed_questions = {data["question_id"] for type_, data in published if type_ == "question.removed"}
    assert removed_questions == {q.pk for q in own_questions}
    assert "(7 items hidden)" in AuditEntry.objects.get(action="ban").reason

"""Flags at the HTTP level: members flag, three distinct flags hide an item, moderators decide, flaggers learn."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import AuditEntry, Flag, Notification, Question, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def flag_url(kind, item):
    return reverse("forum:flag", args=[kind, item.pk])


def test_member_flags_an_answer_with_a_reason_and_moderators_see_it_grouped(member_client, moderator_client):
    answer = AnswerFactory(body="Stop taking your insulin, cinnamon cures diabetes.")
    response = member_client.post(
        flag_url("answer", answer), {"reason": "harmful", "text": "Dangerous advice"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    other = login(UserFactory())
    other.post(flag_url("answer", answer), {"reason": "harmful"})

    page = moderator_client.get(reverse("forum:flagged")).content.decode()
    assert page.count(f'data-flagged-item="answer-{answer.pk}"') == 1  # one entry per item
    assert "2 flags" in page
    assert "Harmful or false medical information (2)" in page
    assert "Dangerous advice" in page


def test_a_second_flag_by_the_same_member_gets_a_clear_message(member_client):
    question = QuestionFactory()
    member_client.post(flag_url("question", question), {"reason": "spam"})
    response = member_client.post(flag_url("question", question), {"reason": "spam"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "already flagged" in response.content.decode()
    assert Flag.objects.count() == 1


def test_you_cannot_flag_your_own_post(member_client, member):
    question = QuestionFactory(author=member)
    response = member_client.post(flag_url("question", question), {"reason": "spam"})
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_other_reason_needs_text(member_client):
    answer = AnswerFactory()
    response = member_client.post(flag_url("answer", answer), {"reason": "other"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Tell the moderators what is wrong" in response.content.decode()
    assert not Flag.objects.exists()


def test_anonymous_visitor_cannot_flag(client):
    answer = AnswerFactory()
    response = client.post(flag_url("answer", answer), {"reason": "spam"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Flag.objects.exists()


def test_pending_content_cannot_be_flagged_by_others(member_client):
    question = QuestionFactory(status=Status.PENDING)
    assert member_client.post(flag_url("question", question), {"reason": "spam"}).status_code == 404


def test_three_distinct_flags_hide_an_answer_everywhere_until_a_moderator_restores_it(
    client, moderator_client, settings
):
    assert settings.FORUM_FLAGS_TO_HIDE == 3
    question = QuestionFactory(title="Does magnesium help with cramps at night?")
    answer = AnswerFactory(question=question, body="Buy my miracle pills at example dot com.")
    from forum.services import refresh_answer_count

    refresh_answer_count(question.pk)
    flaggers = [UserFactory() for _ in range(3)]
    for n, flagger in enumerate(flaggers[:2]):
        login(flagger).post(flag_url("answer", answer), {"reason": "spam", "text": f"spam {n}"})
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert "miracle pills" in client.get(question.get_absolute_url()).content.decode()

    login(flaggers[2]).post(flag_url("answer", answer), {"reason": "spam"})
    answer.refresh_from_db()
    assert answer.status == Status.HIDDEN
    page = client.get(question.get_absolute_url()).content.decode()
    assert "miracle pills" not in page
    assert Question.objects.get(pk=question.pk).answer_count == 0
    entry = AuditEntry.objects.get(action="auto_hide")
    assert entry.actor is None and entry.subject == answer.author
    assert Notification.objects.filter(recipient=answer.author, kind="moderation").exists()

    response = moderator_client.post(
        reverse("forum:flag_decide", args=["answer", answer.pk]),
        {"decision": "restore", "reason": "Reviewed: it is a personal experience, not an advert."},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert "miracle pills" in client.get(question.get_absolute_url()).content.decode()
    assert Question.objects.get(pk=question.pk).answer_count == 1
    for flagger in flaggers:
        note = Notification.objects.get(recipient=flagger)
        assert "stays up" in note.text
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"restored"}


def test_hidden_question_leaves_lists_counts_and_search(client, settings):
    settings.FORUM_FLAGS_TO_HIDE = 2
    question = QuestionFactory(title="Unique zebra question about knees")
    assert "Unique zebra question" in client.get("/").content.decode()
    for _ in range(2):
        login(UserFactory()).post(flag_url("question", question), {"reason": "harassment"})
    question.refresh_from_db()
    assert question.status == Status.HIDDEN
    assert "Unique zebra question" not in client.get("/").content.decode()
    assert "Unique zebra question" not in client.get(question.category.get_absolute_url()).content.decode()
    assert "Unique zebra question" not in client.get(reverse("forum:search"), {"q": "zebra"}).content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404


def test_moderator_can_keep_hidden_or_remove_and_flaggers_learn_the_outcome(moderator_client, settings):
    settings.FORUM_FLAGS_TO_HIDE = 1
    kept, removed = AnswerFactory(), AnswerFactory()
    flagger = UserFactory()
    for item in (kept, removed):
        login(flagger).post(flag_url("answer", item), {"reason": "harmful"})
    moderator_client.post(
        reverse("forum:flag_decide", args=["answer", kept.pk]),
        {"decision": "keep_hidden", "reason": "Recommends stopping prescribed medicine."},
    )
    moderator_client.post(
        reverse("forum:flag_decide", args=["answer", removed.pk]),
        {"decision": "remove", "reason": "Advertising."},
    )
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert kept.status == Status.HIDDEN
    assert removed.status == Status.DELETED
    texts = list(Notification.objects.filter(recipient=flagger).values_list("text", flat=True))
    assert any("now hidden" in t for t in texts)
    assert any("removed it" in t for t in texts)


def test_flag_decision_needs_a_reason(moderator_client, settings):
    settings.FORUM_FLAGS_TO_HIDE = 1
    answer = AnswerFactory()
    login(UserFactory()).post(flag_url("answer", answer), {"reason": "spam"})
    response = moderator_client.post(
        reverse("forum:flag_decide", args=["answer", answer.pk]),
        {"decision": "restore", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.status == Status.HIDDEN


def test_flag_form_shows_to_members_but_not_to_the_author_or_visitors(client, member, member_client):
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=member)
    other = AnswerFactory(question=question)
    page = member_client.get(question.get_absolute_url()).content.decode()
    assert f'data-flag-for="answer-{other.pk}"' in page
    assert f'data-flag-for="answer-{own.pk}"' not in page
    assert f'data-flag-for="question-{question.pk}"' in page
    assert "data-flag-for" not in client.get(question.get_absolute_url()).content.decode()


def test_flagged_queue_query_count_does_not_grow_with_items(moderator_client, django_assert_max_num_queries):
    for _ in range(6):
        answer = AnswerFactory()
        for _ in range(2):
            Flag.objects.create(flagger=UserFactory(), answer=answer, reason="spam")
    with django_assert_max_num_queries(12):
        response = moderator_client.get(reverse("forum:flagged"))
    assert response.status_code == 200

"""Flags at the HTTP level: members flag, three distinct flags from members with standing hide an item,
flags that cannot hide it (an expert's post, new accounts) make it urgent, moderators decide, flaggers learn."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.models import Flag, Question, Sanction, Status
from forum.publication import refresh_answer_count
from tests.factories import (
    AnswerFactory,
    QuestionFactory,
    UserFactory,
    established_member,
    make_expert,
    make_moderator,
)

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

    refresh_answer_count(question.pk)
    flaggers = [established_member() for _ in range(3)]
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
        login(established_member()).post(flag_url("question", question), {"reason": "harassment"})
    question.refresh_from_db()
    assert question.status == Status.HIDDEN
    assert "Unique zebra question" not in client.get("/").content.decode()
    assert "Unique zebra question" not in client.get(question.category.get_absolute_url()).content.decode()
    assert "Unique zebra question" not in client.get(reverse("forum:search"), {"q": "zebra"}).content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404


def test_moderator_can_keep_hidden_or_remove_and_flaggers_learn_the_outcome(moderator_client, settings):
    settings.FORUM_FLAGS_TO_HIDE = 1
    kept, removed = AnswerFactory(), AnswerFactory()
    flagger = established_member()
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
    login(established_member()).post(flag_url("answer", answer), {"reason": "spam"})
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


# --- Whose flags can hide a post ------------------------------------------------------------------------------


def _flag_three_times(item, flaggers, kind="answer"):
    for flagger in flaggers:
        response = login(flagger).post(flag_url(kind, item), {"reason": "harmful"})
        assert response.status_code == 302


def _flagged_entries(moderator_client) -> list[str]:
    """The flagged queue's entries in order, each as its opening tag."""
    page = moderator_client.get(reverse("forum:flagged")).content.decode()
    return re.findall(r"<li [^>]*data-flagged-item=[^>]*>", page)


@pytest.mark.parametrize("make_flagger", [UserFactory, established_member], ids=["new", "established"])
def test_flags_never_hide_a_verified_experts_answer_it_is_urgent_in_the_queue(
    client, moderator_client, make_flagger
):
    question = QuestionFactory()
    expert_answer = AnswerFactory(
        question=question, author=make_expert(), body="Keep taking the tablets your doctor prescribed."
    )
    other = AnswerFactory(question=question)
    login(UserFactory()).post(flag_url("answer", other), {"reason": "spam"})  # an ordinary flagged item
    _flag_three_times(expert_answer, [make_flagger() for _ in range(3)])

    expert_answer.refresh_from_db()
    assert expert_answer.status == Status.APPROVED
    assert "Keep taking the tablets" in client.get(question.get_absolute_url()).content.decode()
    assert not AuditEntry.objects.filter(action="auto_hide").exists()
    entries = _flagged_entries(moderator_client)
    assert f'data-flagged-item="answer-{expert_answer.pk}"' in entries[0]  # first in the queue
    assert "data-urgent" in entries[0]
    assert "data-urgent" not in entries[1]


def test_three_new_accounts_cannot_hide_a_members_answer_it_is_urgent_in_the_queue(client, moderator_client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question, body="Magnesium before bed helped my cramps.")
    _flag_three_times(answer, [UserFactory() for _ in range(3)])  # accounts joined today

    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert "Magnesium before bed" in client.get(question.get_absolute_url()).content.decode()
    entries = _flagged_entries(moderator_client)
    assert f'data-flagged-item="answer-{answer.pk}"' in entries[0] and "data-urgent" in entries[0]


def test_three_established_members_hide_a_members_answer(client, moderator_client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question, body="Buy my miracle pills.")
    _flag_three_times(answer, [established_member() for _ in range(3)])

    answer.refresh_from_db()
    assert answer.status == Status.HIDDEN
    assert "miracle pills" not in client.get(question.get_absolute_url()).content.decode()
    entries = _flagged_entries(moderator_client)
    assert f'data-flagged-item="answer-{answer.pk}"' in entries[0] and "data-urgent" not in entries[0]


def test_a_flagger_suspended_after_flagging_loses_standing(moderator):
    answer = AnswerFactory()
    first, second, third = (established_member() for _ in range(3))
    _flag_three_times(answer, [first, second])
    Sanction.objects.create(
        member=first,
        kind="suspend",
        reason="Abuse",
        moderator=moderator,
        ends_at=timezone.now() + timedelta(days=3),
    )
    _flag_three_times(answer, [third])
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED  # two flaggers with standing out of three


@pytest.mark.parametrize("kind", ["suspend", "ban"])
def test_a_suspended_or_banned_member_sees_no_flag_buttons_and_cannot_flag(kind):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    restricted = established_member()
    page = login(established_member()).get(question.get_absolute_url()).content.decode()
    assert f'data-flag-for="answer-{answer.pk}"' in page  # the shared answer list, with Flag buttons
    ends_at = timezone.now() + timedelta(days=3) if kind == "suspend" else None
    Sanction.objects.create(
        member=restricted, kind=kind, reason="Abuse", moderator=make_moderator(), ends_at=ends_at
    )

    response = login(restricted).get(question.get_absolute_url())
    assert response.status_code == 200
    assert "data-flag-for" not in response.content.decode()
    refused = login(restricted).post(flag_url("answer", answer), {"reason": "spam"})
    assert refused.status_code == 403
    assert not Flag.objects.exists()


def test_urgent_entries_cost_no_query_each(moderator_client, django_assert_max_num_queries):
    for _ in range(4):
        answer = AnswerFactory(author=make_expert())
        for _ in range(3):
            Flag.objects.create(flagger=UserFactory(), answer=answer, reason="harmful")
    with django_assert_max_num_queries(12):
        response = moderator_client.get(reverse("forum:flagged"))
    assert response.content.decode().count("data-urgent") == 4

"""Experts are told (forum.alerts): a question that becomes public reaches the experts of its specialty and
the expert it was asked of, live and by email as each chose, from one task after the commit; a daily
summary for those who chose it; and moderators see the questions overdue for an expert."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExpertCredential
from community.mail.models import OutboundEmail
from community.notifications.models import Notification, NotificationPreference
from forum.alerts import services, tasks
from forum.moderation import review
from forum.posting.services import answer as post_answer
from forum.posting.services import ask
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert, make_moderator

pytestmark = pytest.mark.django_db

KIND = Notification.Kind.EXPERT_QUESTION


def pending_question(*, author=None, **kwargs):
    fields = {
        "title": "Panic attacks at night, what helps?",
        "body": "I wake up with my heart racing. What can I do?",
        "category": category("mental-health"),
        "accepted_terms": True,
    }
    question = ask(author=author or UserFactory(), **{**fields, **kwargs})
    assert question.status == "pending"
    return question


def approve(question, callbacks):
    with callbacks(execute=True):
        review.approve(moderator=make_moderator(), item=question)


def alerts_of(user):
    return list(Notification.objects.filter(recipient=user, kind=KIND))


def emails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def prefer(user, choice):
    NotificationPreference.objects.update_or_create(user=user, defaults={"expert_alerts": choice})


def test_approval_tells_the_experts_of_the_specialty_and_nobody_else(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    second = make_expert("mental-health")
    other_field = make_expert("conditions")
    paused = make_expert("mental-health")
    ExpertCredential.objects.filter(user=paused).update(coi_confirmed_at=timezone.now() - timedelta(days=400))
    expired = make_expert("mental-health", days_left=-1)
    question = pending_question()
    assert not Notification.objects.filter(kind=KIND).exists()  # nothing while it waits for review
    approve(question, django_capture_on_commit_callbacks)
    for told in (expert, second):
        [alert] = alerts_of(told)
        assert "Panic attacks at night" in alert.text
        assert alert.url == reverse("forum:question_short", args=[question.pk])
        [email] = emails_to(told)
        assert "Panic attacks at night" in email.body
        assert "I wake up with my heart racing" not in email.body  # the title only, never the text
    for not_told in (other_field, paused, expired):
        assert alerts_of(not_told) == [] and emails_to(not_told) == []


def test_a_question_asked_of_one_expert_reaches_them_but_never_the_asking_expert(
    django_capture_on_commit_callbacks,
):
    asked = make_expert("conditions", display_name="Dr. Ada")
    asking_expert = make_expert("mental-health")
    question = pending_question(author=asking_expert, addressed_to_expert=asked)
    approve(question, django_capture_on_commit_callbacks)
    [alert] = alerts_of(asked)
    assert alert.text.startswith("A member asked you")
    assert alerts_of(asking_expert) == []


def test_an_anonymous_askers_name_is_never_in_the_alert_or_the_email(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    asker = UserFactory(display_name="Ruth Private")
    question = pending_question(author=asker, is_anonymous=True)
    approve(question, django_capture_on_commit_callbacks)
    [alert] = alerts_of(expert)
    [email] = emails_to(expert)
    assert "Ruth" not in alert.text and "Ruth" not in email.body and "Ruth" not in email.subject
    assert "A member asked" in email.body


def test_preferences_daily_gets_no_email_now_and_never_gets_nothing(django_capture_on_commit_callbacks):
    daily, never, immediately = (make_expert("mental-health") for _ in range(3))
    prefer(daily, NotificationPreference.ExpertAlerts.DAILY)
    prefer(never, NotificationPreference.ExpertAlerts.NEVER)
    approve(pending_question(), django_capture_on_commit_callbacks)
    assert len(alerts_of(daily)) == 1 and emails_to(daily) == []
    assert alerts_of(never) == [] and emails_to(never) == []
    assert len(alerts_of(immediately)) == 1 and len(emails_to(immediately)) == 1


def test_a_rejected_or_still_pending_question_tells_nobody(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    rejected = pending_question()
    with django_capture_on_commit_callbacks(execute=True):
        review.reject(moderator=make_moderator(), item=rejected, reason="Please remove the names.")
    pending_question(title="Still waiting for a moderator?")
    # Even a task that runs for them tells nobody: they are not public.
    assert services.tell_experts(rejected.pk) == 0
    assert alerts_of(expert) == [] and emails_to(expert) == []


def test_the_task_run_twice_notifies_and_emails_each_expert_once(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    question = pending_question()
    approve(question, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tell_experts.apply(args=[question.pk]).get() == 0  # a retried copy
    assert len(alerts_of(expert)) == 1
    assert len(emails_to(expert)) == 1


def test_the_experts_are_told_only_after_the_commit_and_never_for_a_rolled_back_approval(
    django_capture_on_commit_callbacks,
):
    expert = make_expert("mental-health")
    question = pending_question()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                review.approve(moderator=make_moderator(), item=question)
                assert alerts_of(expert) == []  # not in the moderator's request
                raise RuntimeError("the approval fails after the fact")
        except RuntimeError:
            pass
    for callback in callbacks:
        callback()
    assert alerts_of(expert) == [] and emails_to(expert) == []
    question.refresh_from_db()
    assert question.status == "pending"


def test_immediate_publication_tells_the_experts_too(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(
            author=make_moderator(),  # moderators publish at once
            title="Does exercise help with low mood?",
            body="Asking for our guide.",
            category=category("mental-health"),
            accepted_terms=True,
        )
    assert question.status == "approved"
    assert len(alerts_of(expert)) == 1


def test_the_daily_summary_lists_the_days_questions_once_per_day(django_capture_on_commit_callbacks):
    expert = make_expert("mental-health")
    prefer(expert, NotificationPreference.ExpertAlerts.DAILY)
    immediate = make_expert("mental-health")
    QuestionFactory(category=category("mental-health"), title="New today about sleep")
    QuestionFactory(
        category=category("mental-health"),
        title="From last week",
        approved_at=timezone.now() - timedelta(days=3),
    )
    QuestionFactory(category=category("conditions"), title="Another field")
    QuestionFactory(category=category("mental-health"), status="pending", title="Still pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_summaries.apply().get() == 1
        assert tasks.send_daily_summaries.apply().get() == 0  # the same day: not again
    [email] = emails_to(expert)
    assert "New today about sleep" in email.body
    for absent in ("From last week", "Another field", "Still pending"):
        assert absent not in email.body
    assert emails_to(immediate) == []
    assert OutboundEmail.objects.filter(key__startswith="expert-summary:").count() == 1


def test_the_expert_chooses_on_the_preferences_page_and_members_do_not_see_the_choice(client):
    expert = make_expert("mental-health")
    client.force_login(expert)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "New questions for me as an expert" in page
    response = client.post(
        reverse("notifications:preferences"),
        {"email_expert_answered": "on", "email_decisions": "on", "expert_alerts": "daily"},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=expert).expert_alerts == "daily"
    client.force_login(UserFactory())
    assert (
        "New questions for me as an expert"
        not in client.get(reverse("notifications:preferences")).content.decode()
    )


def overdue_page(client):
    return client.get(reverse("forum:expert_overdue"))


def test_moderators_see_the_questions_overdue_for_an_expert(client, settings):
    settings.EXPERT_OVERDUE_HOURS = 48
    long_ago = timezone.now() - timedelta(hours=60)
    expert = make_expert("mental-health")
    overdue = QuestionFactory(
        category=category("living-well"),
        for_experts=category("mental-health"),
        title="Waiting too long",
        approved_at=long_ago,
    )
    asked = QuestionFactory(
        addressed_to_expert=expert, title="Asked of Dr. and waiting", approved_at=long_ago
    )
    member_answered = QuestionFactory(
        for_experts=category("mental-health"), title="Only a member answered", approved_at=long_ago
    )
    AnswerFactory(question=member_answered, body="I had the same.")
    expert_answered = QuestionFactory(
        for_experts=category("mental-health"), title="An expert answered it", approved_at=long_ago
    )
    post_answer(author=expert, question=expert_answered, body="An expert reply.", accepted_terms=True)
    QuestionFactory(for_experts=category("mental-health"), title="Asked an hour ago")
    QuestionFactory(
        category=category("mental-health"), title="Not addressed to experts", approved_at=long_ago
    )
    QuestionFactory(
        for_experts=category("mental-health"), status="hidden", title="Hidden one", approved_at=long_ago
    )
    client.force_login(make_moderator())
    page = overdue_page(client).content.decode()
    for shown in (overdue, asked, member_answered):
        assert shown.title in page
    for absent in ("An expert answered it", "Asked an hour ago", "Not addressed to experts", "Hidden one"):
        assert absent not in page
    assert "Overdue for an expert" in client.get(reverse("forum:moderation_queue")).content.decode()


def test_the_overdue_list_is_for_moderators_only(client):
    QuestionFactory(
        for_experts=category("mental-health"),
        title="Waiting too long",
        approved_at=timezone.now() - timedelta(days=5),
    )
    assert overdue_page(client).status_code in (302, 403)
    client.force_login(make_expert("mental-health"))
    response = overdue_page(client)
    assert response.status_code in (302, 403)
    assert "Waiting too long" not in response.content.decode()

"""Telling experts about new questions: the fan-out of one question (after the commit, in a task) and the
daily summary. Both are idempotent: a retried task notifies nobody twice."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExpertCredential
from community.mail.outbox import queue_email
from community.notifications.models import Notification, NotificationPreference
from community.notifications.services import notify
from community.site import absolute_url
from forum.models import Question

ExpertAlerts = NotificationPreference.ExpertAlerts


def question_link(question: Question) -> str:
    return reverse("forum:question_short", args=[question.pk])


def matching_credentials(question: Question, now=None):
    """Active experts of the question's category or addressed specialty, and the expert it was asked of;
    never its asker."""
    fields = [c for c in (question.category_id, question.for_experts_id) if c]
    return (
        ExpertCredential.objects.active(now)
        .filter(
            Q(specialty_id__in=fields)
            | Q(specialties__in=fields)
            | Q(user_id=question.addressed_to_expert_id or 0)
        )
        .exclude(user_id=question.author_id)
        .select_related("user")
        .distinct()
    )


def _choices(user_ids) -> dict[int, str]:
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "expert_alerts")
    )


@transaction.atomic
def tell_experts(question_id: int) -> int:
    """Notify every matching expert of public question `question_id` once (live, and by email for those who
    chose "immediately"). The question row is locked so two copies of the task cannot both notify; an expert
    who already has this question's notification is skipped. Returns how many were notified."""
    question = Question.objects.public().select_for_update().filter(pk=question_id).first()
    if question is None:  # no longer public (hidden, deleted) by the time the task runs: tell nobody
        return 0
    credentials = list(matching_credentials(question))
    user_ids = [c.user_id for c in credentials]
    choices = _choices(user_ids)
    link = question_link(question)
    already = set(
        Notification.objects.filter(
            recipient_id__in=user_ids, kind=Notification.Kind.EXPERT_QUESTION, url=link
        ).values_list("recipient_id", flat=True)
    )
    told = 0
    for credential in credentials:
        user = credential.user
        if user.pk in already or choices.get(user.pk, ExpertAlerts.IMMEDIATELY) == ExpertAlerts.NEVER:
            continue
        asked_of_you = question.addressed_to_expert_id == user.pk
        text = (
            f"A member asked you: “{question.short_title}”"
            if asked_of_you
            else f"New question in your specialty: “{question.short_title}”"
        )
        if notify(user, Notification.Kind.EXPERT_QUESTION, text, link, about=question):
            told += 1
    return told


def daily_summaries(now=None) -> int:
    """One email per "daily" expert listing the public questions of the last 24 hours in their fields (or
    asked of them), once per expert per day (the outbox key). Returns how many were queued."""
    now = now or timezone.now()
    since = now - timedelta(hours=24)
    daily = NotificationPreference.objects.filter(expert_alerts=ExpertAlerts.DAILY).values_list(
        "user_id", flat=True
    )
    credentials = (
        ExpertCredential.objects.active(now)
        .filter(user_id__in=daily)
        .select_related("user")
        .prefetch_related("specialties")
    )
    queued = 0
    for credential in credentials:
        user = credential.user
        if getattr(user, "is_deleted", False) or not user.email:
            continue
        fields = {credential.specialty_id, *(c.pk for c in credential.specialties.all())}
        questions = list(
            Question.objects.public()
            .filter(approved_at__gt=since, approved_at__lte=now)
            .filter(Q(category_id__in=fields) | Q(for_experts_id__in=fields) | Q(addressed_to_expert=user))
            .exclude(author=user)
            .only("pk", "title", "approved_at")
            .order_by("approved_at", "pk")[:50]
        )
        if questions:
            queued += _queue_summary(user, questions, now)
    return queued


def _queue_summary(user, questions, now) -> int:
    context = {
        "name": user.public_name,
        "questions": [(q.title, absolute_url(question_link(q))) for q in questions],
        "inbox_link": absolute_url(reverse("forum:awaiting_expert")),
        "preferences_link": absolute_url(reverse("notifications:preferences")),
        "site_name": settings.SITE_NAME,
    }
    count = len(questions)
    subject = f"[{settings.SITE_NAME}] {count} new question{'s' if count != 1 else ''} for you as an expert"
    body = render_to_string("forum/alerts/email/daily_summary.txt", context)
    key = f"expert-summary:{user.pk}:{timezone.localdate(now).isoformat()}"
    with transaction.atomic():
        return 1 if queue_email(EmailMessage(subject, body, None, [user.email]), key=key) else 0

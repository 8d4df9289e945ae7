"""Celery tasks telling experts about new questions (forum.alerts.services); the summary runs on beat
(CELERY_BEAT_SCHEDULE). Listed in CELERY_IMPORTS so every worker knows them."""

from celery import shared_task

from community.celery import enqueue_on_commit
from forum.alerts import services


def question_went_public(question) -> None:
    """Called where a question becomes public (forum.publication.went_public), inside that transaction:
    one task after the commit tells the experts (a rolled-back approval tells nobody, the request never
    waits for it)."""
    enqueue_on_commit(tell_experts, question.pk)


@shared_task(acks_late=True)
def tell_experts(question_id: int) -> int:
    return services.tell_experts(question_id)


@shared_task(acks_late=True)
def send_daily_summaries() -> int:
    return services.daily_summaries()

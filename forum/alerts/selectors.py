"""Questions overdue for an expert: what moderators see so that someone acts."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from forum.models import Answer, Question, Status
from forum.selectors import active_expert_of

OVERDUE_SHOWN = 100


def overdue_for_expert(now=None, limit: int = OVERDUE_SHOWN) -> list[Question]:
    """Public questions addressed to a specialty or to one expert, published more than EXPERT_OVERDUE_HOURS
    ago, that no active verified expert has answered publicly: longest waiting first, one query, at most
    `limit`."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.EXPERT_OVERDUE_HOURS)
    expert_answer = Answer.objects.filter(question=OuterRef("pk"), status=Status.APPROVED).filter(
        active_expert_of("author")
    )
    return list(
        Question.objects.public()
        .filter(Q(for_experts__isnull=False) | Q(addressed_to_expert__isnull=False), approved_at__lte=cutoff)
        .filter(~Exists(expert_answer))
        .select_related("category", "for_experts", "addressed_to_expert")
        .defer("body", "body_html", "search_vector")
        .order_by("approved_at", "pk")[:limit]
    )

"""The read side of the expert's inbox, and which specialties a question can be routed to."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from accounts.models import ExpertCredential, User
from forum.models import Answer, Category, Question, Status
from forum.selectors import active_expert_of


def specialty_ids(credential) -> set[int]:
    """The categories an expert answers for: their main specialty and the others verified with it."""
    return {credential.specialty_id, *credential.specialties.values_list("pk", flat=True)}


def inbox_questions(credential):
    """Public questions waiting for this expert, oldest waiting first (page with `paginate_oldest_first`):
    those of their specialties (by category, or addressed to the specialty) that no active verified expert
    has answered yet, and those addressed to them personally until they answered themselves. Never their own
    questions; never anything that is not public (`Question.objects.public()`)."""
    expert = credential.user
    specialties = specialty_ids(credential)
    public_answers = Answer.objects.filter(question=OuterRef("pk"), status=Status.APPROVED)
    answered_by_expert = Exists(public_answers.filter(active_expert_of("author")))
    answered_by_me = Exists(public_answers.filter(author=expert))
    return (
        Question.objects.public()
        .filter(
            (Q(category__in=specialties) | Q(for_experts__in=specialties)) & ~answered_by_expert
            | Q(addressed_to_expert=expert) & ~answered_by_me
        )
        .exclude(author=expert)
        .select_related("category", "for_experts", "author")
        .defer("body", "body_html", "search_vector")
    )


@dataclass
class Page:
    items: list
    next_cursor: str | None
    is_first: bool


def _cursor(question) -> str:
    return f"{question.approved_at.timestamp():.6f}_{question.pk}"


def _decode(cursor: str):
    try:
        ts, pk = cursor.split("_", 1)
        return datetime.fromtimestamp(float(ts), tz=UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def paginate_oldest_first(queryset, cursor: str | None, page_size: int | None = None) -> Page:
    """Keyset paging, longest waiting (earliest published) first: every page costs one query."""
    page_size = page_size or settings.FORUM_PAGE_SIZE
    decoded = _decode(cursor) if cursor else None
    if decoded:
        ts, pk = decoded
        queryset = queryset.filter(Q(approved_at__gt=ts) | Q(approved_at=ts, pk__gt=pk))
    rows = list(queryset.order_by("approved_at", "pk")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    return Page(items=rows, next_cursor=_cursor(rows[-1]) if has_more else None, is_first=not decoded)


def specialties_with_experts():
    """Categories with at least one active verified expert: the only ones a question can be routed to."""
    active = ExpertCredential.objects.active()
    return Category.objects.filter(
        Exists(active.filter(specialty=OuterRef("pk"))) | Exists(active.filter(specialties=OuterRef("pk")))
    )


def askable_experts():
    """Members a question can be addressed to personally: those with an active verified credential."""
    return User.objects.filter(Exists(ExpertCredential.objects.active().filter(user=OuterRef("pk"))))

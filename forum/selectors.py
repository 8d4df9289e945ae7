"""Read-side queries that need more than one line. Every public read starts from `visible_to(viewer)`."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import Http404

from accounts.models import ExpertCredential

from .models import Answer, Category, Question, Status, is_moderator

LIST_FIELDS_RELATED = ("author", "category")


def _active_expert_of(field: str):
    return Exists(ExpertCredential.objects.active().filter(user=OuterRef(field)))


def question_list_base(viewer=None):
    return (
        Question.objects.approved()
        .select_related(*LIST_FIELDS_RELATED)
        .prefetch_related("tags")
        .defer("body", "body_html", "search_vector")
    )


@dataclass
class Page:
    items: list
    next_cursor: str | None
    is_first: bool


def _encode_cursor(question: Question) -> str:
    return f"{question.approved_at.timestamp():.6f}_{question.pk}"


def _decode_cursor(cursor: str):
    try:
        ts, pk = cursor.split("_", 1)
        return datetime.fromtimestamp(float(ts), tz=UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def paginate_questions(queryset, cursor: str | None, page_size: int | None = None) -> Page:
    """Keyset pagination, newest approved first: page N costs the same as page 1 (no OFFSET, no COUNT)."""
    page_size = page_size or settings.FORUM_PAGE_SIZE
    decoded = _decode_cursor(cursor) if cursor else None
    if decoded:
        ts, pk = decoded
        queryset = queryset.filter(Q(approved_at__lt=ts) | Q(approved_at=ts, pk__lt=pk))
    rows = list(queryset.order_by("-approved_at", "-pk")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    return Page(items=rows, next_cursor=_encode_cursor(rows[-1]) if has_more else None, is_first=not decoded)


def own_pending_questions(viewer, limit: int = 10):
    """A member's own questions awaiting review (or rejected), shown only to them."""
    if viewer is None or not viewer.is_authenticated:
        return []
    return list(
        Question.objects.filter(author=viewer, status__in=[Status.PENDING, Status.REJECTED])
        .select_related("category")
        .only("pk", "slug", "title", "status", "created_at", "category__name", "category__slug")
        .order_by("-created_at")[:limit]
    )


def question_for_page(pk: int, viewer) -> Question:
    """The question if `viewer` may see it; 404 otherwise (a hidden item is indistinguishable from none)."""
    try:
        return (
            Question.objects.visible_to(viewer)
            .select_related(
                "author", "category", "for_experts", "decided_by", "author__expert_credential__specialty"
            )
            .prefetch_related("tags")
            .get(pk=pk)
        )
    except Question.DoesNotExist as exc:
        raise Http404("No such question.") from exc


def answers_for_page(question: Question, viewer, only_pk: int | None = None) -> list[Answer]:
    """Answers in reading order: accepted first, then verified experts, then by score, then oldest."""
    qs = Answer.objects.filter(question=question)
    qs = qs.filter(pk=only_pk) if only_pk else qs.visible_to(viewer)
    qs = (
        qs.select_related("author", "author__expert_credential__specialty", "question", "decided_by")
        .annotate(
            by_expert=_active_expert_of("author"),
            is_accepted=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-is_accepted", "-by_expert", "-score", "created_at", "pk")
    )
    return list(qs)


def related_questions(question: Question, limit: int = 5) -> list[Question]:
    """'More Q&A': approved questions sharing the most tags, then the newest in the same category."""
    tag_ids = [tag.pk for tag in question.tags.all()]
    picked: list[Question] = []
    if tag_ids:
        picked = list(
            question_list_base()
            .filter(tags__in=tag_ids)
            .exclude(pk=question.pk)
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .order_by("-shared", "-approved_at")[:limit]
        )
    if len(picked) < limit:
        picked += list(
            question_list_base()
            .filter(category_id=question.category_id)
            .exclude(pk__in=[question.pk, *[q.pk for q in picked]])
            .order_by("-approved_at", "-pk")[: limit - len(picked)]
        )
    return picked


def search_questions(query: str, limit: int = 30) -> list[Question]:
    """Approved questions matching `query`, best first. PostgreSQL: full-text search over the stored,
    GIN-indexed vector, ranked. SQLite: every word must appear in the title or body."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    base = question_list_base()
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        sq = SearchQuery(query, config="english", search_type="websearch")
        return list(
            base.filter(search_vector=sq)
            .annotate(rank=SearchRank("search_vector", sq))
            .order_by("-rank", "-approved_at")[:limit]
        )
    condition = Q()
    for word in query.split()[:8]:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return list(base.filter(condition).order_by("-approved_at", "-pk")[:limit])


def categories_with_counts() -> list[Category]:
    """Categories with their count of approved questions only."""
    return list(
        Category.objects.annotate(
            public_count=Count("questions", filter=Q(questions__status=Status.APPROVED))
        )
    )


def moderation_queue(*, kind: str = "", category: Category | None = None, limit: int = 100) -> list:
    """Pending items, oldest first, questions and answers merged."""
    items: list = []
    if kind in ("", "question"):
        qs = (
            Question.objects.pending_for_review()
            .select_related("author", "category")
            .prefetch_related("tags")
        )
        if category:
            qs = qs.filter(category=category)
        items += list(qs[:limit])
    if kind in ("", "answer"):
        qs = Answer.objects.pending_for_review().select_related("author", "question", "question__category")
        if category:
            qs = qs.filter(question__category=category)
        items += list(qs[:limit])
    items.sort(key=lambda item: (item.created_at, item.pk))
    return items[:limit]


def pending_count() -> int:
    return (
        Question.objects.filter(status=Status.PENDING).count()
        + Answer.objects.filter(status=Status.PENDING).count()
    )


def can_moderate(user) -> bool:
    return is_moderator(user)

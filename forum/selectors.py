"""Read-side queries that need more than one line. Every public read starts from `visible_to(viewer)`."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    SmallIntegerField,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from accounts.models import ExpertCredential
from forum.models import Answer, Category, Question, Revision, Status, TaggedQuestion, Vote
from forum.saving.selectors import SavedMarks, saved_on_question

LIST_FIELDS_RELATED = ("author", "category")


def active_expert_of(field: str):
    return Exists(ExpertCredential.objects.active().filter(user=OuterRef(field)))


def question_list_base():
    return (
        Question.objects.public()
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


def paginate_questions(
    queryset, cursor: str | None, page_size: int | None = None, *, oldest_first: bool = False
) -> Page:
    """Keyset pagination, newest approved first (or, `oldest_first`, longest waiting first: the expert's
    inbox): page N costs the same as page 1 (no OFFSET, no COUNT)."""
    page_size = page_size or settings.FORUM_PAGE_SIZE
    decoded = _decode_cursor(cursor) if cursor else None
    if decoded:
        ts, pk = decoded
        if oldest_first:
            queryset = queryset.filter(Q(approved_at__gt=ts) | Q(approved_at=ts, pk__gt=pk))
        else:
            queryset = queryset.filter(Q(approved_at__lt=ts) | Q(approved_at=ts, pk__lt=pk))
    order = ("approved_at", "pk") if oldest_first else ("-approved_at", "-pk")
    rows = list(queryset.order_by(*order)[: page_size + 1])
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


def _my_vote(viewer, field: str):
    """The viewer's own vote on each row (1, -1 or None), as a subquery: no query per row."""
    return Subquery(Vote.objects.filter(voter=viewer, **{field: OuterRef("pk")}).values("value")[:1])


def question_for_page(pk: int, viewer) -> Question:
    """The question if `viewer` may see it; 404 otherwise (a hidden item is indistinguishable from none).
    For a member, `my_vote` is their own vote on it."""
    qs = Question.objects.visible_to(viewer).annotate(
        # Most questions have no duplicates: the page lists them only when there are (forum safety tags).
        has_public_duplicates=Exists(Question.objects.public().filter(duplicate_of=OuterRef("pk")))
    )
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(my_vote=_my_vote(viewer, "question"))
    try:
        return (
            qs.select_related(
                "author", "category", "for_experts", "decided_by", "author__expert_credential__specialty"
            )
            .prefetch_related("tags")
            .get(pk=pk)
        )
    except Question.DoesNotExist as exc:
        raise Http404("No such question.") from exc


def public_question(pk: int) -> Question | None:
    """The question as everyone sees it when it is public (for the page cache), else None."""
    try:
        return question_for_page(pk, None)
    except Http404:
        return None


def _answers(question: Question, viewer, only_pk: int | None = None) -> list[Answer]:
    qs = Answer.objects.filter(question=question)
    qs = qs.filter(pk=only_pk) if only_pk else qs.visible_to(viewer)
    qs = (
        # Not select_related("question"): every row would carry the question again (its body too); the
        # caller's instance is attached instead.
        qs.select_related("author", "author__expert_credential__specialty")
        .annotate(
            by_expert=active_expert_of("author"),
            is_accepted=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-is_accepted", "-by_expert", "-score", "created_at", "pk")
    )
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(my_vote=_my_vote(viewer, "answer"))
    return list(qs)


def _attach(answers: list[Answer], question: Question) -> list[Answer]:
    for answer in answers:
        answer.question = question
    return answers


def answers_for_page(question: Question, viewer, only_pk: int | None = None) -> list[Answer]:
    """Answers in reading order: accepted first, then verified experts, then by score, then oldest."""
    return _attach(_answers(question, viewer, only_pk), question)


def public_answers(question: Question) -> list[Answer]:
    """A public question's answers as every visitor sees them, without the question attached (for the
    cache: see `answers_for_viewer`)."""
    return _answers(question, None)


# The states in which an author still sees their answer. Named rather than "not approved or deleted", so
# PostgreSQL reads them from the (question, status) index instead of intersecting with all of the author's
# answers (27,000 for the bench's most active member: 4 ms).
NOT_YET_PUBLIC = [s for s in Status.values if s not in (Status.APPROVED, Status.DELETED)]


def answers_for_viewer(question: Question, viewer, public: list[Answer]) -> list[Answer]:
    """A public question's answers for `viewer` (not a moderator), given `public_answers(question)`.

    `public` is the same for every viewer, so the question page keeps it in the cache; what is the
    viewer's own is read here with one small query (`viewer_state`) instead of one large one: their votes
    on the question and on each answer (`question.my_vote` and each `answer.my_vote`), what they saved on
    the page (`question.saved_marks`, forum.saving) and whether they have answers that are not public yet
    (usually not; then their page is built with them). Building and planning the full answer query took a
    member's page ~5 ms even for 5 answers (bench/RESULTS.md)."""
    if viewer is None or not viewer.is_authenticated:
        return _attach(public, question)
    on_question, on_answers, has_pending, saved = viewer_state(viewer, question.pk, [a.pk for a in public])
    question.my_vote = on_question
    question.saved_marks = saved
    if has_pending:
        return answers_for_page(question, viewer)  # with their pending answers, in reading order
    for answer in public:
        answer.my_vote = on_answers.get(answer.pk)
    return _attach(public, question)


# Not vote values: mark the rows that say the viewer has an answer awaiting review, or saved a post.
PENDING_MARK = 2
SAVED_MARK = 3


def viewer_state(
    viewer, question_id: int, answer_ids: list[int]
) -> tuple[int | None, dict[int, int], bool, SavedMarks]:
    """In one query: the viewer's vote on the question, their votes on its answers `answer_ids`, whether
    they have an answer on it that is not public yet, and what of the page they saved."""
    votes = (
        Vote.objects.filter(voter=viewer)
        .filter(Q(question_id=question_id) | Q(answer_id__in=answer_ids))
        .order_by()
        .values_list("answer_id", "value")
    )
    pending = (
        Answer.objects.filter(question_id=question_id, author=viewer, status__in=NOT_YET_PUBLIC)
        .annotate(mark=Value(PENDING_MARK, output_field=SmallIntegerField()))
        .order_by()
        .values_list("pk", "mark")
    )
    saved = (
        saved_on_question(viewer, question_id)
        .annotate(mark=Value(SAVED_MARK, output_field=SmallIntegerField()))
        .order_by()
        .values_list("answer_id", "mark")
    )
    on_question, on_answers, has_pending = None, {}, False
    saved_question, saved_answers = False, set()
    for answer_id, value in votes.union(pending, saved, all=True):
        if value == PENDING_MARK:
            has_pending = True
        elif value == SAVED_MARK:
            if answer_id is None:
                saved_question = True
            else:
                saved_answers.add(answer_id)
        elif answer_id is None:
            on_question = value
        else:
            on_answers[answer_id] = value
    return on_question, on_answers, has_pending, SavedMarks(saved_question, frozenset(saved_answers))


RELATED_CANDIDATES_PER_TAG = 40


def related_questions(question: Question, limit: int = 5) -> list[Question]:
    """'More Q&A': recent approved questions sharing the most tags, then the newest in the same category.

    Candidates are the newest RELATED_CANDIDATES_PER_TAG public questions of each of the question's tags,
    not every question of those tags: a popular tag has thousands, and ranking them all took ~90 ms at
    100,000 questions (bench/RESULTS.md). One small query per tag (at most FORUM_MAX_TAGS), each an index
    scan that stops after the limit, then one for the picked rows."""

    shared: dict[int, int] = {}
    for tag in question.tags.all():
        newest = (
            # Question.objects.public()'s predicate, on the join (an index scan that stops after the limit).
            TaggedQuestion.objects.filter(tag_id=tag.pk, content_object__status=Status.APPROVED)
            .exclude(content_object_id=question.pk)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:RELATED_CANDIDATES_PER_TAG]
        )
        for pk in newest:
            shared[pk] = shared.get(pk, 0) + 1
    fields = ("pk", "title", "slug", "answer_count", "approved_at", "category_id")
    picked: list[Question] = []
    if shared:
        # Most shared tags first, then the newest (question ids grow with time).
        best = sorted(shared, key=lambda pk: (-shared[pk], -pk))[: limit * 2]
        rows = {q.pk: q for q in Question.objects.public().filter(pk__in=best).only(*fields)}
        picked = [rows[pk] for pk in best if pk in rows][:limit]
    if len(picked) < limit:
        picked += list(
            Question.objects.public()
            .filter(category_id=question.category_id)
            .exclude(pk__in=[question.pk, *[q.pk for q in picked]])
            .only(*fields)
            .order_by("-approved_at", "-pk")[: limit - len(picked)]
        )
    return picked


def categories_with_counts() -> list[Category]:
    """Categories with their count of approved questions only."""
    return list(
        Category.objects.annotate(
            public_count=Count("questions", filter=Q(questions__status=Status.APPROVED))
        )
    )


def own_pending_edits(viewer, question: Question, answer_ids: list[int]) -> dict:
    """The viewer's proposed edits awaiting review on this question page: {"question": proposal or None,
    "answers": [proposals]} (one query; only for the question's author or authors of answers on it)."""
    proposals = Revision.objects.filter(editor=viewer, status=Revision.State.PENDING).filter(
        Q(question=question) | Q(answer_id__in=answer_ids)
    )
    found = {"question": None, "answers": []}
    for proposal in proposals.order_by("created_at", "pk"):
        if proposal.question_id:
            found["question"] = proposal
        else:
            found["answers"].append(proposal)
    return found


def pending_edit_of(post):
    """The proposed edit of `post` awaiting review, if any (its author's edit form starts from it)."""
    return post.revisions.filter(status=Revision.State.PENDING).first()

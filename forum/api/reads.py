"""What the read API reads: every list and item starts from the models' public querysets
(`visible_to(None)`: approved content on approved questions), whoever calls, and expert data comes only
from active verified experts (`ExpertCredential.objects.active()`). Each function returns a queryset the
endpoint pages (forum.api.paging) or one row; none runs a query per row."""

from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag

from accounts.models import ExpertCredential
from forum.api.paging import Order
from forum.curation import selectors as curation_selectors
from forum.models import Answer, Category, Question

QUESTION_ORDER = Order((("approved_at", True, datetime), ("pk", True, int)))
ANSWER_ORDER = Order((("created_at", False, datetime), ("pk", False, int)))
FEATURED_ORDER = Order((("featured_at", True, datetime), ("pk", True, int)))
TAG_ORDER = Order((("slug", False, str),))
EXPERT_ORDER = Order((("user_id", False, int),))

# The author's row and, when they are an active expert, their credential, in the same query.
AUTHOR_RELATED = ("author", "author__expert_credential__specialty")


def _active_expert(field: str):
    return Exists(ExpertCredential.objects.active().filter(user=OuterRef(field)))


def _public_accepted_answer():
    # An accepted answer that was hidden or deleted since is not mentioned.
    return Exists(Answer.objects.visible_to(None).filter(pk=OuterRef("accepted_answer_id")))


def questions(*, category: Category | None = None, tag: Tag | None = None):
    qs = (
        Question.objects.visible_to(None)
        .filter(approved_at__isnull=False)  # the keyset's first field; publication always sets it
        .select_related("category", *AUTHOR_RELATED)
        .prefetch_related("tags")
        .annotate(by_expert=_active_expert("author"), accepted_is_public=_public_accepted_answer())
    )
    if category is not None:
        qs = qs.filter(category=category)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs


def question(pk: int) -> Question | None:
    return questions().filter(pk=pk).first()


def _answers():
    return (
        Answer.objects.visible_to(None)
        .select_related("question", *AUTHOR_RELATED)
        .defer("question__body", "question__body_html", "question__search_vector")
        .annotate(by_expert=_active_expert("author"))
    )


def answers_of(question: Question):
    return _answers().filter(question=question)


def answer(pk: int) -> Answer | None:
    return _answers().filter(pk=pk).first()


def featured_answers(*, category: Category | None = None, tag: Tag | None = None):
    """The site's featured answers (forum.curation.selectors.featured_answers: public, by active experts), with what
    the API shows of each."""
    qs = (
        curation_selectors.featured_answers()
        .filter(featured_at__isnull=False)
        .annotate(by_expert=Value(True))
    )
    if category is not None:
        qs = qs.filter(question__category=category)
    if tag is not None:
        qs = qs.filter(question__tags=tag)
    return qs


def categories():
    return Category.objects.annotate(
        question_count=Count("questions", filter=Q(questions__in=Question.objects.visible_to(None)))
    ).order_by("position", "name")


def category(slug: str) -> Category | None:
    return categories().filter(slug=slug).first()


def tags():
    """Tags of public questions, with how many public questions carry each (a tag only on pending, hidden
    or deleted questions is not listed)."""
    return Tag.objects.filter(question__in=Question.objects.visible_to(None)).annotate(
        question_count=Count("question")
    )


def tag(slug: str) -> Tag | None:
    return tags().filter(slug=slug).first()


def _public_answer_count():
    counted = (
        Answer.objects.visible_to(None)
        .filter(author=OuterRef("user_id"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def experts(*, category: Category | None = None):
    """Active verified experts (not expired, not revoked, account active and not deleted)."""
    qs = (
        ExpertCredential.objects.active()
        .filter(user__is_deleted=False)
        .select_related("user", "specialty")
        .prefetch_related("specialties")
        .annotate(answer_count=_public_answer_count())
    )
    if category is not None:
        qs = qs.filter(Q(specialty=category) | Q(specialties=category)).distinct()
    return qs


def expert(user_id: int) -> ExpertCredential | None:
    return experts().filter(user_id=user_id).first()

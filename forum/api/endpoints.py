"""The read API's paths: one function each, reading through forum.api.reads and answering with
forum.api.schemas. GET only."""

from django.db.models import QuerySet
from ninja import Query, Schema
from ninja.errors import HttpError
from pydantic import Field

from forum.api import paging, reads
from forum.api.schemas import (
    AnswerOut,
    AnswerPage,
    CategoryList,
    CategoryOut,
    ExpertOut,
    ExpertPage,
    Problem,
    QuestionDetail,
    QuestionPage,
    TagOut,
    TagPage,
    ValidationProblem,
    answer_out,
    category_out,
    expert_out,
    question_out,
    tag_out,
)
from forum.api.service import api

MAX_PAGE = 50
SLUG = r"^[-a-zA-Z0-9_]{1,100}$"
# What every path may answer besides its 200 (documented, so clients and schemathesis know them).
ERRORS = {304: None, 404: Problem, 422: ValidationProblem, 429: Problem}
LIST_ERRORS = {**ERRORS, 400: Problem}


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=paging.MAX_CURSOR_CHARS, description="`next_cursor` of the page before"
    )
    limit: int = Field(20, ge=1, le=MAX_PAGE, description="Items per page")


class Filters(PageParams):
    category: str | None = Field(None, pattern=SLUG, description="Only this category (its slug)")
    tag: str | None = Field(None, pattern=SLUG, description="Only this tag (its slug)")


def _page(queryset: QuerySet, order: paging.Order, params: PageParams, present) -> dict:
    found = paging.page(queryset, order, params.cursor, params.limit)
    return {"items": [present(row) for row in found.items], "next_cursor": found.next_cursor}


def _filters(filters: Filters) -> dict:
    chosen = {}
    if filters.category:
        chosen["category"] = reads.category(filters.category) or _missing("category")
    if filters.tag:
        chosen["tag"] = reads.tag(filters.tag) or _missing("tag")
    return chosen


def _missing(what: str):
    raise HttpError(404, f"There is no public {what} here with that id or slug.")


@api.get("/questions", response={200: QuestionPage, **LIST_ERRORS}, tags=["questions"])
def list_questions(request, filters: Query[Filters]):
    """Public questions, newest published first."""
    return _page(reads.questions(**_filters(filters)), reads.QUESTION_ORDER, filters, question_out)


@api.get("/questions/{int:question_id}", response={200: QuestionDetail, **ERRORS}, tags=["questions"])
def get_question(request, question_id: int):
    """One public question with its text (HTML, sanitised)."""
    question = reads.question(question_id) or _missing("question")
    return question_out(question, with_body=True)


@api.get("/questions/{int:question_id}/answers", response={200: AnswerPage, **LIST_ERRORS}, tags=["answers"])
def list_answers(request, question_id: int, params: Query[PageParams]):
    """A public question's public answers, oldest first."""
    question = reads.question(question_id) or _missing("question")
    return _page(reads.answers_of(question), reads.ANSWER_ORDER, params, answer_out)


@api.get("/answers/{int:answer_id}", response={200: AnswerOut, **ERRORS}, tags=["answers"])
def get_answer(request, answer_id: int):
    """One public answer."""
    return answer_out(reads.answer(answer_id) or _missing("answer"))


@api.get("/featured-answers", response={200: AnswerPage, **LIST_ERRORS}, tags=["answers"])
def list_featured_answers(request, filters: Query[Filters]):
    """Answers by active verified experts that moderators featured, newest featured first."""
    return _page(reads.featured_answers(**_filters(filters)), reads.FEATURED_ORDER, filters, answer_out)


@api.get("/categories", response={200: CategoryList, **ERRORS}, tags=["categories"])
def list_categories(request):
    """Every category (there are few), in the site's order, with its count of public questions."""
    return {"items": [category_out(c) for c in reads.categories()]}


@api.get("/categories/{slug}", response={200: CategoryOut, **ERRORS}, tags=["categories"])
def get_category(request, slug: str):
    return category_out(reads.category(slug) or _missing("category"))


@api.get("/tags", response={200: TagPage, **LIST_ERRORS}, tags=["tags"])
def list_tags(request, params: Query[PageParams]):
    """Tags of public questions, by slug, with their count of public questions."""
    return _page(reads.tags(), reads.TAG_ORDER, params, tag_out)


@api.get("/tags/{slug}", response={200: TagOut, **ERRORS}, tags=["tags"])
def get_tag(request, slug: str):
    return tag_out(reads.tag(slug) or _missing("tag"))


class ExpertFilters(PageParams):
    category: str | None = Field(None, pattern=SLUG, description="Only experts of this specialty")


@api.get("/experts", response={200: ExpertPage, **LIST_ERRORS}, tags=["experts"])
def list_experts(request, filters: Query[ExpertFilters]):
    """Active verified experts (verification current, not revoked), by id."""
    category = (reads.category(filters.category) or _missing("category")) if filters.category else None
    return _page(reads.experts(category=category), reads.EXPERT_ORDER, filters, expert_out)


@api.get("/experts/{int:expert_id}", response={200: ExpertOut, **ERRORS}, tags=["experts"])
def get_expert(request, expert_id: int):
    return expert_out(reads.expert(expert_id) or _missing("expert"))

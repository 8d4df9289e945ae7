"""What each response of the read API holds (the OpenAPI document is generated from these), and the one
place that turns a row into it. Anonymous askers have no author (`author: null`, `anonymous: true`), also
on their own answers to their question; expert details appear only for active verified experts."""

from datetime import datetime

from django.urls import reverse
from ninja import Schema

from community.site import absolute_url


class Expertise(Schema):
    title: str  # the badge, e.g. "Mental Health Expert"
    credentials: str  # the public line, e.g. "Psychiatrist, State University"


class Person(Schema):
    id: int | None  # None for a deleted account
    name: str
    url: str | None
    location: str  # only when the member chose to show it, else ""
    reputation: int
    expert: Expertise | None


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    expert_title: str
    url: str
    question_count: int


class TagOut(Schema):
    slug: str
    name: str
    url: str
    question_count: int


class QuestionOut(Schema):
    id: int
    title: str
    url: str
    category: str
    tags: list[str]
    author: Person | None
    anonymous: bool
    score: int
    answer_count: int
    expert_answer_count: int
    accepted_answer_id: int | None
    is_locked: bool
    published_at: datetime
    last_activity_at: datetime


class QuestionDetail(QuestionOut):
    body_html: str


class AnswerOut(Schema):
    id: int
    question_id: int
    question_title: str
    url: str
    author: Person | None
    anonymous: bool
    by_verified_expert: bool
    body_html: str
    score: int
    accepted: bool
    featured: bool
    featured_at: datetime | None
    created_at: datetime


class ExpertOut(Schema):
    id: int
    name: str
    url: str
    title: str
    profession: str
    credentials: str
    specialties: list[str]
    answer_count: int


class QuestionPage(Schema):
    items: list[QuestionOut]
    next_cursor: str | None


class AnswerPage(Schema):
    items: list[AnswerOut]
    next_cursor: str | None


class TagPage(Schema):
    items: list[TagOut]
    next_cursor: str | None


class ExpertPage(Schema):
    items: list[ExpertOut]
    next_cursor: str | None


class CategoryList(Schema):
    items: list[CategoryOut]


class Problem(Schema):
    detail: str


class ValidationProblem(Schema):
    detail: list[dict]


# --- Rows to responses ---------------------------------------------------------------------------------


def person(user, *, is_expert: bool) -> dict:
    if user.is_deleted:
        return {
            "id": None,
            "name": user.public_name,
            "url": None,
            "location": "",
            "reputation": 0,
            "expert": None,
        }
    expert = None
    if is_expert:
        credential = user.expert_credential
        expert = {"title": credential.badge_label, "credentials": credential.credentials}
    return {
        "id": user.pk,
        "name": user.public_name,
        "url": absolute_url(user.get_absolute_url()),
        "location": user.public_location,
        "reputation": user.reputation,
        "expert": expert,
    }


def question_out(q, *, with_body: bool = False) -> dict:
    out = {
        "id": q.pk,
        "title": q.title,
        "url": absolute_url(q.get_absolute_url()),
        "category": q.category.slug,
        "tags": sorted(tag.slug for tag in q.tags.all()),
        "author": None if q.is_anonymous else person(q.author, is_expert=q.by_expert),
        "anonymous": q.is_anonymous,
        "score": q.score,
        "answer_count": q.answer_count,
        "expert_answer_count": q.expert_answer_count,
        "accepted_answer_id": q.accepted_answer_id if q.accepted_is_public else None,
        "is_locked": q.is_locked,
        "published_at": q.approved_at,
        "last_activity_at": q.last_activity_at,
    }
    if with_body:
        out["body_html"] = q.body_html
    return out


def answer_out(a) -> dict:
    anonymous = a.by_anonymous_asker
    return {
        "id": a.pk,
        "question_id": a.question_id,
        "question_title": a.question.title,
        "url": absolute_url(a.get_absolute_url()),
        "author": None if anonymous else person(a.author, is_expert=a.by_expert),
        "anonymous": anonymous,
        "by_verified_expert": bool(a.by_expert) and not anonymous,
        "body_html": a.body_html,
        "score": a.score,
        "accepted": a.question.accepted_answer_id == a.pk,
        "featured": a.is_featured,
        "featured_at": a.featured_at if a.is_featured else None,
        "created_at": a.created_at,
    }


def category_out(c) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "description": c.description,
        "expert_title": c.expert_title,
        "url": absolute_url(c.get_absolute_url()),
        "question_count": c.question_count,
    }


def tag_out(t) -> dict:
    return {
        "slug": t.slug,
        "name": t.name,
        "url": absolute_url(reverse("forum:tag", args=[t.slug])),
        "question_count": t.question_count,
    }


def expert_out(credential) -> dict:
    user = credential.user
    specialties = {c.slug for c in credential.specialties.all()} | {credential.specialty.slug}
    return {
        "id": user.pk,
        "name": user.public_name,
        "url": absolute_url(user.get_absolute_url()),
        "title": credential.badge_label,
        "profession": credential.profession,
        "credentials": credential.credentials,
        "specialties": sorted(specialties),
        "answer_count": credential.answer_count,
    }

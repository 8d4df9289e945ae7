"""People's public pages as content shows them: a member's published questions and answers, the expert
directory with each expert's published answer count. Each runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import ExpertCredential
from forum.models import Answer, Category, Question


def _public_answer_count(user_field: str):
    """Approved answers (on approved questions) by the member in `user_field`, as a subquery."""
    counted = (
        Answer.objects.visible_to(None)
        .filter(author=OuterRef(user_field))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass
class Specialty:
    category: Category
    experts: list = field(default_factory=list)


def expert_directory() -> list[Specialty]:
    """Active experts grouped by specialty (an expert of two specialties is listed under both), most
    answers first, each with `answer_count`. Three queries."""
    credentials = list(
        ExpertCredential.objects.active()
        .select_related("user", "specialty")
        .prefetch_related("specialties")
        .annotate(answer_count=_public_answer_count("user"))
        .order_by("-answer_count", "user__display_name")
    )
    groups = {category.pk: Specialty(category) for category in Category.objects.all()}
    for credential in credentials:
        for category in credential.specialties.all() or [credential.specialty]:
            groups[category.pk].experts.append(credential)
    return [group for group in groups.values() if group.experts]


def profile_questions(member, limit: int = 10) -> list[Question]:
    # Anonymous questions never appear on the asker's public profile.
    return list(
        Question.objects.public()
        .filter(author=member, is_anonymous=False)
        .select_related("category")
        .defer("body", "body_html", "search_vector")
        .order_by("-approved_at")[:limit]
    )


def profile_answers(member, *, featured: bool | None = None, limit: int = 10) -> list[Answer]:
    # A reply on one's own anonymous question would name its asker: it stays off the public profile.
    qs = (
        Answer.objects.visible_to(None)
        .filter(author=member)
        .exclude(question__author=member, question__is_anonymous=True)
    )
    if featured is not None:
        qs = qs.filter(is_featured=featured)
    order = ("-featured_at", "-pk") if featured else ("-created_at", "-pk")
    return list(
        qs.select_related("question")
        .defer("body", "question__body", "question__body_html", "question__search_vector")
        .order_by(*order)[:limit]
    )

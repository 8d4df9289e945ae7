"""Read-side queries about people: the expert directory, expert applications, profiles and badges.
Each runs a fixed number of queries, however many experts, answers or badges it returns."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from forum.models import Answer, Category, Question

from .models import Badge, BadgeAward, ExpertApplication, ExpertCredential, ExpertDocument


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


def open_applications():
    """The moderators' queue: applications awaiting a decision or a reply, oldest first."""
    return (
        ExpertApplication.objects.filter(status__in=["pending", "more_info"])
        .select_related("applicant")
        .prefetch_related("specialties")
        .annotate(document_count=Count("documents"))
        .order_by("created_at", "pk")
    )


def recently_decided_applications(limit: int = 20) -> list[ExpertApplication]:
    return list(
        ExpertApplication.objects.filter(status__in=["approved", "rejected"])
        .select_related("applicant", "decided_by")
        .prefetch_related("specialties")
        .order_by("-decided_at", "-pk")[:limit]
    )


def application_for_review(pk: int) -> ExpertApplication:
    return (
        ExpertApplication.objects.select_related("applicant", "decided_by", "applicant__expert_credential")
        .prefetch_related(
            "specialties",
            Prefetch("documents", queryset=ExpertDocument.objects.order_by("uploaded_at", "pk")),
        )
        .get(pk=pk)
    )


def latest_application(user) -> ExpertApplication | None:
    return (
        ExpertApplication.objects.filter(applicant=user)
        .prefetch_related("specialties", "documents")
        .order_by("-created_at", "-pk")
        .first()
    )


def badges_of(user) -> list[BadgeAward]:
    """A member's badges with the date each was earned, best tier first."""
    return list(
        BadgeAward.objects.filter(user=user).select_related("badge").order_by("-badge__tier", "awarded_at")
    )


def badge_index() -> list[Badge]:
    """Every badge with how many active members hold it."""
    return list(
        Badge.objects.annotate(
            holders=Count("awards", filter=Q(awards__user__is_active=True, awards__user__is_deleted=False))
        )
    )


def badge_holders(badge: Badge, limit: int = 200) -> list[BadgeAward]:
    return list(
        badge.awards.filter(user__is_active=True, user__is_deleted=False)
        .select_related("user")
        .order_by("-awarded_at", "-pk")[:limit]
    )


def profile_questions(member, limit: int = 10) -> list[Question]:
    # Anonymous questions never appear on the asker's public profile.
    return list(
        Question.objects.approved()
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

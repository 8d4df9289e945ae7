"""Read-side queries about people: the expert directory, expert applications, profiles and badges.
Each runs a fixed number of queries, however many experts, answers or badges it returns."""

from django.db.models import Count, Prefetch, Q

from .models import Badge, BadgeAward, ExpertApplication, ExpertDocument


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

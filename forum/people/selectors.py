"""People's public pages as content shows them: a member's published questions and answers, the expert
directory with each expert's published answer count. Each runs a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

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


FIGURES_DAYS = 90  # the window of the median time to answer
MEDIAN_SAMPLE = 1000  # at most this many questions (the most recent) go into the median


@dataclass
class ExpertFigures:
    answers: int
    accepted: int
    featured: int
    median_minutes: float | None  # None: no answer in the window
    answered_recently: int  # how many questions the median is taken over

    @property
    def median_display(self) -> str:
        if self.median_minutes is None:
            return ""
        minutes = round(self.median_minutes)
        if minutes < 60:
            return f"{minutes} minute{'s' if minutes != 1 else ''}"
        hours = round(self.median_minutes / 60)
        if hours < 48:
            return f"{hours} hour{'s' if hours != 1 else ''}"
        days = round(self.median_minutes / 1440)
        return f"{days} days"


def expert_figures(member, now=None) -> ExpertFigures:
    """An expert's public figures, in two queries. Counted over their public answers (approved, on public
    questions): all of them, those the asker accepted, those featured. The median time to answer: for each
    question the expert answered publicly in the last FIGURES_DAYS days, the time from the question's
    publication (approved_at) to the expert's first public answer on it (created_at), median over those
    questions (at most MEDIAN_SAMPLE, the most recent)."""
    now = now or timezone.now()
    public = Answer.objects.visible_to(None).filter(author=member)
    counts = public.aggregate(
        answers=Count("pk"),
        accepted=Count("pk", filter=Q(question__accepted_answer=F("pk"))),
        featured=Count("pk", filter=Q(is_featured=True)),
    )
    firsts = (
        public.order_by()
        .values("question_id", "question__approved_at")
        .annotate(first=Min("created_at"))
        .filter(first__gte=now - timedelta(days=FIGURES_DAYS), question__approved_at__isnull=False)
        .order_by("-first")[:MEDIAN_SAMPLE]
    )
    waits = [max(0.0, (row["first"] - row["question__approved_at"]).total_seconds() / 60) for row in firsts]
    return ExpertFigures(
        answers=counts["answers"],
        accepted=counts["accepted"],
        featured=counts["featured"],
        median_minutes=median(waits) if waits else None,
        answered_recently=len(waits),
    )

"""The benchmark's data generator (bench/scale_data.py) at a tiny scale: the numbers the services would
keep (scores, counts, reputation) agree with the rows, and the shape matches what the benchmark expects."""

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import ExpertCredential
from accounts.reputation import recompute_all
from bench.scale_data import BIG_QUESTION_ANSWERS, OTHER_ANSWERS_CAP, generate
from forum.models import Answer, Question, Status, Vote

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def generated():
    return generate(scale=0.002, log=lambda *_: None)


def test_the_big_question_is_the_one_with_the_most_answers(generated):
    counts = Question.objects.annotate(n=Count("answers", filter=Q(answers__status=Status.APPROVED)))
    biggest = counts.order_by("-n").first()
    assert biggest.pk == generated["big_question_id"]
    assert biggest.n == BIG_QUESTION_ANSWERS == biggest.answer_count
    assert counts.exclude(pk=biggest.pk).order_by("-n").first().n <= OTHER_ANSWERS_CAP


def test_stored_numbers_agree_with_the_rows(generated):
    assert recompute_all(dry_run=True) == {}  # every reputation equals the one computed from the rows
    vote_sums = dict(
        Vote.objects.filter(question__isnull=False).values_list("question").annotate(s=Sum("value"))
    )
    public = Count("answers", filter=Q(answers__status=Status.APPROVED))
    for question in Question.objects.annotate(public=public):
        assert question.score == vote_sums.get(question.pk, 0)
        assert question.answer_count == question.public
    answer_sums = dict(
        Vote.objects.filter(answer__isnull=False).values_list("answer").annotate(s=Sum("value"))
    )
    for pk, score in Answer.objects.values_list("pk", "score"):
        assert score == answer_sums.get(pk, 0)
    assert Question.objects.filter(accepted_answer__isnull=False).exists()


def test_experts_have_their_specialty_and_nothing_is_dated_in_the_future(generated):
    credentials = ExpertCredential.objects.all()
    assert credentials.count() == generated["experts"]
    for credential in credentials:
        assert credential.specialty in credential.specialties.all()
    assert not Answer.objects.filter(created_at__gt=timezone.now()).exists()


def test_the_vote_count_is_exactly_the_planned_one_with_no_self_votes(generated):
    # scale 0.002: 4,000 votes among 20 members, so popular posts fill up and their votes move elsewhere.
    assert generated["votes"] == Vote.objects.count() == 4_000
    assert not Vote.objects.filter(answer__author=F("voter")).exists()
    assert not Vote.objects.filter(question__author=F("voter")).exists()

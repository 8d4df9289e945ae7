"""Forum's part of reputation: the points members earned from content, recomputed from the rows
(accounts.reputation.recompute_all sums the registered sources; registered by forum.apps)."""

from django.db.models import Count, Q

from accounts import reputation
from forum.models import Answer, Question, Vote


def points_from_rows() -> dict[int, int]:
    """Every member's points from votes, accepted answers and featured answers (accounts.reputation's rules)."""
    totals: dict[int, int] = {}

    def add(user_id, points):
        if user_id is not None and points:
            totals[user_id] = totals.get(user_id, 0) + points

    up, down = Count("pk", filter=Q(value=Vote.UP)), Count("pk", filter=Q(value=Vote.DOWN))
    for row in Vote.objects.filter(answer__isnull=False).values("answer__author").annotate(up=up, down=down):
        add(
            row["answer__author"],
            row["up"] * reputation.ANSWER_UP_VOTE + row["down"] * reputation.DOWN_VOTE_RECEIVED,
        )
    question_votes = Vote.objects.filter(question__isnull=False, question__is_anonymous=False)
    for row in question_votes.values("question__author").annotate(up=up, down=down):
        add(
            row["question__author"],
            row["up"] * reputation.QUESTION_UP_VOTE + row["down"] * reputation.DOWN_VOTE_RECEIVED,
        )
    accepted = Question.objects.filter(accepted_answer__isnull=False).values("accepted_answer__author")
    for row in accepted.annotate(n=Count("pk")):
        add(row["accepted_answer__author"], row["n"] * reputation.ACCEPTED)
    for row in Answer.objects.filter(is_featured=True).values("author").annotate(n=Count("pk")):
        add(row["author"], row["n"] * reputation.FEATURED)
    return totals

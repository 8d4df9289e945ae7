"""Reputation: the rules, the incremental adjustment and the recompute from the rows.

Rules (documented in the README, "Reputation and badges"):

- an up vote on your answer +10, on your question +5; a down vote on either -2;
- your answer accepted by the asker +15;
- your expert answer featured by a moderator +25;
- undoing any of these (vote removed or switched, acceptance moved or withdrawn, unfeatured) reverses it.

Votes on questions posted anonymously change the question's score but not the asker's reputation, so a
reputation that moves can never hint at who asked. Services adjust `User.reputation` with an `F()` update
in the same transaction as the row that earns it (vote, acceptance, feature), so it is exact under
concurrency; `recompute_all` rebuilds every total from those rows and must agree with the increments.
"""

from django.db import transaction
from django.db.models import F

from .badges import TRUSTED_REPUTATION, award_badges_for
from .models import User

ANSWER_UP_VOTE = 10
QUESTION_UP_VOTE = 5
DOWN_VOTE_RECEIVED = -2
ACCEPTED = 15
FEATURED = 25


def vote_points(*, on_answer: bool, value: int) -> int:
    """What a vote of `value` (+1, -1 or 0 for none) on an answer or question is worth to its author."""
    if value > 0:
        return ANSWER_UP_VOTE if on_answer else QUESTION_UP_VOTE
    if value < 0:
        return DOWN_VOTE_RECEIVED
    return 0


def adjust(user_id: int | None, delta: int) -> None:
    """Add `delta` to a member's reputation in the database (not in memory: concurrent changes add up)."""
    if user_id and delta:
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + delta)


# Where points come from: functions returning {member id: points}. Content is forum's: it registers the
# points of votes, accepted and featured answers (forum.people.reputation).
POINT_SOURCES: list = []


def register_point_source(points) -> None:
    if points not in POINT_SOURCES:
        POINT_SOURCES.append(points)


def totals_from_rows() -> dict[int, int]:
    """Every member's reputation computed from the rows, summed over the registered sources."""
    totals: dict[int, int] = {}
    for source in POINT_SOURCES:
        for user_id, points in source().items():
            totals[user_id] = totals.get(user_id, 0) + points
    return totals


@transaction.atomic
def recompute_all(*, dry_run: bool = False) -> dict[int, tuple[int, int]]:
    """Rebuild every member's reputation from the rows; return {user_id: (stored, computed)} for those
    that differed (and, unless dry_run, were corrected). Run it when the site is quiet: a vote committed
    while it runs may be counted twice or not at all until the next run."""
    totals = totals_from_rows()
    changed = {}
    for user_id, reputation in User.objects.values_list("pk", "reputation").iterator(chunk_size=2000):
        computed = totals.get(user_id, 0)
        if computed != reputation:
            changed[user_id] = (reputation, computed)
    if changed and not dry_run:
        users = [User(pk=user_id, reputation=new) for user_id, (_old, new) in changed.items()]
        User.objects.bulk_update(users, ["reputation"], batch_size=500)
        for user_id, (_old, new) in changed.items():
            if new >= TRUSTED_REPUTATION:
                award_badges_for(User.objects.get(pk=user_id), only=["trusted"])
    return changed

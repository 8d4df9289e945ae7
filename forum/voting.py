"""Votes: one per member per post, exact under concurrency.

The database guarantees one vote per member per post (conditional unique constraints on Vote); the score
stored on the post and the author's reputation move by `F()` updates in the same transaction as the Vote
row, so a hundred members voting at once leave score == sum of the vote rows.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts import badges, reputation

from .models import Answer, Question, Vote
from .sanctions import ensure_can_participate

VOTABLE = {"question": Question, "answer": Answer}
VALUES = {"up": Vote.UP, "down": Vote.DOWN}


class NotVotable(PermissionDenied):
    """The post is not public (pending, rejected, hidden) or is the voter's own."""


@dataclass
class VoteOutcome:
    item: Question | Answer  # with its fresh score
    my_vote: int  # the voter's vote now: 1, -1 or 0 (none)


def _is_public(item) -> bool:
    return VOTABLE[item.kind_name].objects.visible_to(None).filter(pk=item.pk).exists()


@transaction.atomic
def vote(*, voter, item: Question | Answer, value: int) -> VoteOutcome:
    """`voter` votes `value` (+1 up, -1 down) on a public question or answer.

    No vote yet: the vote is stored. The same vote again: it is removed. The other way: it is switched.
    Who: any active member, on public posts that are not their own (NotVotable otherwise).
    Writes: the Vote row; the post's score (F() update); the author's reputation (F() update, see
    accounts.reputation; none for anonymous questions); badges the author may have earned
    (Helpful, Good Question, Trusted Member). No audit entry: the Vote rows are the record.
    Event: "score" on the question's stream (forum.live.announce_score), after commit.
    """
    if value not in (Vote.UP, Vote.DOWN):
        raise ValidationError("A vote is up or down.")
    if not voter.is_authenticated or not voter.is_active:
        raise PermissionDenied("Log in to vote.")
    ensure_can_participate(voter)  # suspended and banned members cannot vote (forum.sanctions)
    kind = item.kind_name
    model = VOTABLE[kind]
    if item.author_id == voter.pk:
        raise NotVotable(f"You can't vote on your own {kind}.")
    if not _is_public(item):
        raise NotVotable(f"Only published {kind}s can be voted on.")

    target = {kind: item}
    existing = Vote.objects.select_for_update().filter(voter=voter, **target).first()
    if existing is None:
        try:
            with transaction.atomic():
                Vote.objects.create(voter=voter, value=value, **target)
            old, new = 0, value
        except IntegrityError:
            # The same member's other request (a double click) stored a vote first: this one toggles it.
            existing = Vote.objects.select_for_update().get(voter=voter, **target)
    if existing is not None:
        old = existing.value
        if old == value:
            existing.delete()
            new = 0
        else:
            existing.value = new = value
            existing.save(update_fields=["value"])

    model.objects.filter(pk=item.pk).update(score=F("score") + (new - old))
    item.score = model.objects.values_list("score", flat=True).get(pk=item.pk)

    on_answer = kind == "answer"
    if not (kind == "question" and item.is_anonymous):
        delta = reputation.vote_points(on_answer=on_answer, value=new) - reputation.vote_points(
            on_answer=on_answer, value=old
        )
        reputation.adjust(item.author_id, delta)
        if new - old > 0:
            badges.award_badges_for(
                item.author, only=badges.ON_ANSWER_VOTED if on_answer else badges.ON_QUESTION_VOTED
            )

    from .live import announce_score

    announce_score(item)
    return VoteOutcome(item=item, my_vote=new)

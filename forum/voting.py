"""Votes: one per member per post, exact under concurrency.

The database guarantees one vote per member per post (conditional unique constraints on Vote); the score
stored on the post and the author's reputation move by `F()` updates in the same transaction as the Vote
row, so a hundred members voting at once leave score == sum of the vote rows.

Two entry points share these rules: `vote` (one vote, the page's form and htmx POST) and `vote_many`
(many members' votes in one transaction, as the live socket sends them: forum.vote_queue). Both lock the
voted posts' rows first, in id order, so they queue on the same locks and never deadlock each other.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from accounts import badges, reputation

from .models import POST_MODELS, Answer, Question, Sanction, Vote
from .sanctions import MemberRestricted, ensure_can_participate, strongest

VOTABLE = POST_MODELS  # the one kind -> model map (forum.models)
VALUES = {"up": Vote.UP, "down": Vote.DOWN}


class NotVotable(PermissionDenied):
    """The post is not public (pending, rejected, hidden) or is the voter's own."""


@dataclass
class VoteOutcome:
    item: Question | Answer  # with its fresh score
    my_vote: int  # the voter's vote now: 1, -1 or 0 (none)


def _lock_if_public(item) -> bool:
    """Lock the post's row (the score's row: concurrent votes on it queue here) if it is public."""
    public = VOTABLE[item.kind_name].objects.visible_to(None).filter(pk=item.pk)
    return public.select_for_update(of=("self",)).values_list("pk", flat=True).first() is not None


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
    if not _lock_if_public(item):
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


# --- Many votes at once ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ballot:
    """One vote as the live socket sends it: `voter` (the socket's member), a post, +1 or -1."""

    voter: object  # accounts.User
    kind: str  # "question" or "answer"
    item_id: int
    value: int


@dataclass
class BallotResult:
    kind: str
    item_id: int
    my_vote: int = 0  # the voter's vote after this ballot: 1, -1 or 0
    score: int | None = None  # the post's score after the whole batch (None when refused)
    error: str = ""  # why the ballot was refused ("" when it counted)


def vote_many(ballots: list[Ballot], *, rate_limited: dict | None = None) -> list[BallotResult]:
    """Apply `ballots` in order, in one transaction, with exactly the rules of `vote`: a member's second
    identical ballot on a post removes their vote, the other way switches it; own, non-public and
    unknown posts, inactive, suspended and banned members are refused (that ballot only). Writes the
    same rows as `vote` ballot by ballot would, in a handful of statements whatever the number of ballots:
    the vote rows, each post's score and each author's reputation (relative updates; on PostgreSQL all in
    one statement), then, after the commit, badges for authors who gained; and one "score" event per
    changed post (not one per ballot).

    `rate_limited`: {voter: (allowed, RateLimited)} from forum.ratelimit.take_many for the voters over
    their limit; their ballots beyond `allowed` are refused with the limit's message."""

    results = [BallotResult(kind=b.kind, item_id=b.item_id) for b in ballots]
    if not ballots:
        return results
    with transaction.atomic():
        active, restricted = _voters({b.voter.pk for b in ballots})
        posts = _lock_public_posts(ballots)  # (kind, id) -> {"author_id", "anonymous", "question_id"}
        keys = [(b.voter.pk, b.kind, b.item_id) for b in ballots]
        before = _current_votes(keys)  # (voter, kind, id) -> (vote id, value)
        now = {key: value for key, (_, value) in before.items()}
        taken: dict[int, int] = defaultdict(int)
        for ballot, key, result in zip(ballots, keys, results, strict=True):
            result.error = _refusal(ballot, posts, active, restricted, rate_limited, taken)
            if result.error:
                continue
            old = now.get(key, 0)
            now[key] = result.my_vote = 0 if old == ballot.value else ballot.value
        changed = {key: value for key, value in now.items() if value != before.get(key, (None, 0))[1]}
        scores, gained = _apply(changed, before, posts)
    # After the commit, so the posts' locks are not held meanwhile; awards are idempotent.
    with transaction.atomic():
        _award_badges(gained)
    for result in results:
        if not result.error:
            result.score = scores.get((result.kind, result.item_id))
    return results


def _refusal(ballot, posts, active, restricted, rate_limited, taken) -> str:
    voter = ballot.voter
    if ballot.value not in (Vote.UP, Vote.DOWN):
        return "A vote is up or down."
    if voter.pk not in active:
        return "Log in to vote."
    if voter.pk in restricted:
        return str(MemberRestricted(restricted[voter.pk]))
    post = posts.get((ballot.kind, ballot.item_id))
    if post is None:
        return f"Only published {ballot.kind}s can be voted on."
    if post["author_id"] == voter.pk:
        return f"You can't vote on your own {ballot.kind}."
    if rate_limited and voter in rate_limited:
        allowed, refusal = rate_limited[voter]
        if taken[voter.pk] >= allowed:
            return str(refusal)
    taken[voter.pk] += 1
    return ""


def _voters(voter_ids) -> tuple[set[int], dict[int, Sanction]]:
    """The active members among `voter_ids`, and the sanction that stops each restricted one: one query,
    and a second only when someone is restricted."""
    from accounts.models import User

    in_force = Sanction.objects.in_force().filter(member=OuterRef("pk"))
    rows = User.objects.filter(pk__in=voter_ids, is_active=True).annotate(restricted=Exists(in_force))
    active, restricted_ids = set(), []
    for pk, is_restricted in rows.values_list("pk", "restricted"):
        active.add(pk)
        if is_restricted:
            restricted_ids.append(pk)
    sanctions = defaultdict(list)
    if restricted_ids:
        for sanction in Sanction.objects.in_force().filter(member_id__in=restricted_ids):
            sanctions[sanction.member_id].append(sanction)
    return active, {member: strongest(found) for member, found in sanctions.items()}


def _lock_public_posts(ballots) -> dict:
    posts = {}
    for kind, model in VOTABLE.items():
        ids = sorted({b.item_id for b in ballots if b.kind == kind})
        if not ids:
            continue
        fields = ["pk", "author_id", "score"] + (["is_anonymous"] if kind == "question" else ["question_id"])
        rows = (
            model.objects.visible_to(None)
            .filter(pk__in=ids)
            .order_by("pk")
            .select_for_update(of=("self",))
            .values(*fields)
        )
        for row in rows:
            posts[(kind, row["pk"])] = {
                "author_id": row["author_id"],
                "score": row["score"],  # locked until the commit: the batch's delta gives the final score
                "anonymous": row.get("is_anonymous", False),
                "question_id": row.get("question_id", row["pk"]),
            }
    return posts


def _current_votes(keys) -> dict:
    voters = {voter for voter, _, _ in keys}
    wanted = set(keys)
    condition = Q()
    for kind in VOTABLE:
        ids = {item for _, k, item in keys if k == kind}
        if ids:
            condition |= Q(**{f"{kind}_id__in": ids})
    rows = Vote.objects.filter(condition, voter_id__in=voters).select_for_update()
    found = {}
    for pk, voter, question, answer, value in rows.values_list(
        "pk", "voter_id", "question_id", "answer_id", "value"
    ):
        key = (voter, "answer", answer) if answer else (voter, "question", question)
        if key in wanted:
            found[key] = (pk, value)
    return found


def _apply(changed: dict, before: dict, posts: dict) -> tuple[dict, dict]:
    """Write the batch's net change (vote rows, scores, reputations) and announce each changed post. Returns
    the final scores, and the badge codes each author may have earned (for `_award_badges`)."""
    score_delta: dict[tuple[str, int], int] = defaultdict(int)
    rep_delta: dict[int, int] = defaultdict(int)
    gained: dict[int, set[str]] = defaultdict(set)
    for (voter, kind, item), new in changed.items():
        old = before.get((voter, kind, item), (None, 0))[1]
        score_delta[(kind, item)] += new - old
        post = posts[(kind, item)]
        if kind == "question" and post["anonymous"]:
            continue
        on_answer = kind == "answer"
        points = reputation.vote_points(on_answer=on_answer, value=new) - reputation.vote_points(
            on_answer=on_answer, value=old
        )
        rep_delta[post["author_id"]] += points
        if new - old > 0:
            gained[post["author_id"]].update(
                badges.ON_ANSWER_VOTED if on_answer else badges.ON_QUESTION_VOTED
            )
    rows = _row_changes(changed, before)
    scores_moved = {kind: {i: d for (k, i), d in score_delta.items() if k == kind and d} for kind in VOTABLE}
    reputations = {pk: d for pk, d in rep_delta.items() if d}
    if connection.vendor == "postgresql":
        _write_in_one_statement(rows, scores_moved, reputations)
    else:
        _write_with_orm(rows, scores_moved, reputations)
    scores = {key: posts[key]["score"] + delta for key, delta in score_delta.items()}

    from .live import announce_scores

    changed_posts = []
    for (kind, item), delta in score_delta.items():
        if delta:
            post = VOTABLE[kind](pk=item, score=scores[(kind, item)])
            if kind == "answer":
                post.question_id = posts[(kind, item)]["question_id"]
            changed_posts.append(post)
    announce_scores(changed_posts)
    return scores, gained


def _row_changes(changed: dict, before: dict) -> dict:
    """The vote rows to insert ((voter, kind, item, value)), delete (ids) and switch to up or down (ids)."""
    rows = {"new": [], "gone": [], 1: [], -1: []}
    for key, value in changed.items():
        if key not in before:
            rows["new"].append((*key, value))
        elif value == 0:
            rows["gone"].append(before[key][0])
        else:
            rows[value].append(before[key][0])
    return rows


def _write_with_orm(rows: dict, scores_moved: dict, reputations: dict) -> None:
    from accounts.models import User

    if rows["gone"]:
        Vote.objects.filter(pk__in=rows["gone"]).delete()
    for value in (1, -1):
        if rows[value]:
            Vote.objects.filter(pk__in=rows[value]).update(value=value)
    Vote.objects.bulk_create(
        [
            Vote(voter_id=voter, value=value, **{f"{kind}_id": item})
            for voter, kind, item, value in rows["new"]
        ]
    )
    _add_by_pk(User, "reputation", reputations)
    for kind, model in VOTABLE.items():
        _add_by_pk(model, "score", scores_moved[kind])


# PostgreSQL: every write of a batch in one statement (data-modifying CTEs), so the posts' row locks, on
# which the other server processes' batches wait, are held for one round trip instead of six.
_ONE_STATEMENT = """
WITH gone AS (DELETE FROM forum_vote WHERE id = ANY(%(gone)s::bigint[])),
up AS (UPDATE forum_vote SET value = 1 WHERE id = ANY(%(up)s::bigint[])),
down AS (UPDATE forum_vote SET value = -1 WHERE id = ANY(%(down)s::bigint[])),
new AS (
    INSERT INTO forum_vote (voter_id, question_id, answer_id, value, created_at)
    SELECT v, q, a, val, %(now)s FROM unnest(
        %(new_voter)s::bigint[], %(new_question)s::bigint[], %(new_answer)s::bigint[], %(new_value)s::smallint[]
    ) AS n(v, q, a, val)
),
rep AS (
    UPDATE accounts_user u SET reputation = u.reputation + d.delta
    FROM unnest(%(rep_id)s::bigint[], %(rep_delta)s::integer[]) AS d(id, delta) WHERE u.id = d.id
),
answer_score AS (
    UPDATE forum_answer p SET score = p.score + d.delta
    FROM unnest(%(answer_id)s::bigint[], %(answer_delta)s::integer[]) AS d(id, delta) WHERE p.id = d.id
),
question_score AS (
    UPDATE forum_question p SET score = p.score + d.delta
    FROM unnest(%(question_id)s::bigint[], %(question_delta)s::integer[]) AS d(id, delta) WHERE p.id = d.id
)
SELECT 1
"""


def _write_in_one_statement(rows: dict, scores_moved: dict, reputations: dict) -> None:
    from django.utils import timezone

    new = rows["new"]
    params = {
        "gone": rows["gone"],
        "up": rows[1],
        "down": rows[-1],
        "now": timezone.now(),
        "new_voter": [voter for voter, _, _, _ in new],
        "new_question": [item if kind == "question" else None for _, kind, item, _ in new],
        "new_answer": [item if kind == "answer" else None for _, kind, item, _ in new],
        "new_value": [value for _, _, _, value in new],
        "rep_id": list(reputations),
        "rep_delta": list(reputations.values()),
        "answer_id": list(scores_moved["answer"]),
        "answer_delta": list(scores_moved["answer"].values()),
        "question_id": list(scores_moved["question"]),
        "question_delta": list(scores_moved["question"].values()),
    }
    with connection.cursor() as cursor:
        cursor.execute(_ONE_STATEMENT, params)


def _award_badges(gained: dict[int, set[str]]) -> None:
    """Badges the authors who gained votes may have earned; one query finds those who hold them all."""
    from accounts.models import BadgeAward, User

    if not gained:
        return
    codes = set().union(*gained.values())
    held = defaultdict(set)
    for user_id, code in BadgeAward.objects.filter(user_id__in=gained, badge__code__in=codes).values_list(
        "user_id", "badge__code"
    ):
        held[user_id].add(code)
    missing = {pk: wanted - held[pk] for pk, wanted in gained.items() if wanted - held[pk]}
    for author in User.objects.filter(pk__in=missing):
        badges.award_badges_for(author, only=sorted(missing[author.pk]))


def _add_by_pk(model, field: str, deltas: dict[int, int]) -> None:
    """One UPDATE adding deltas[pk] to `field` of each row (relative: concurrent changes add up)."""
    if deltas:
        addend = Case(*(When(pk=pk, then=Value(d)) for pk, d in deltas.items()), default=Value(0))
        model.objects.filter(pk__in=deltas).update(**{field: F(field) + addend})

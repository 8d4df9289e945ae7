"""Votes: one per member per post, exact under concurrency.

The database guarantees one vote per member per post (conditional unique constraints on Vote); the score
stored on the post and the author's reputation move by `F()` updates in the same transaction as the Vote
row, so a hundred members voting at once leave score == sum of the vote rows.

One engine, `vote_many`: the page's form and htmx POST send it a batch of one, the live socket many
members' votes at once (forum.voting.queue); `vote` is a batch of one raising exceptions for other callers.
Refusals are `Refusal` codes, worded in one place (`refusal_message`).
"""

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from accounts import badges, reputation
from accounts.models import BadgeAward, User
from forum.live.announce import announce_scores
from forum.models import POST_MODELS, Answer, Question, Sanction, Vote
from forum.moderation.sanctions import MemberRestricted, strongest
from forum.safety import ratelimit

VOTABLE = POST_MODELS  # the one kind -> model map (forum.models)
VALUES = {"up": Vote.UP, "down": Vote.DOWN}


class NotVotable(PermissionDenied):
    """The post is not public (pending, rejected, hidden) or is the voter's own."""


class Refusal(enum.Enum):
    """Why a ballot did not count; `refusal_message` words each one, for the form and the socket alike."""

    BAD_VALUE = "bad_value"
    LOGGED_OUT = "logged_out"
    RESTRICTED = "restricted"  # suspended or banned (forum.moderation.sanctions)
    NOT_PUBLIC = "not_public"  # pending, rejected, hidden, deleted or unknown
    OWN_POST = "own_post"
    RATE_LIMITED = "rate_limited"  # forum.safety.ratelimit, "vote"
    FAILED = "failed"  # the batch's transaction failed: nothing counted


def refusal_message(refusal: Refusal, *, kind: str, detail=None) -> str:
    """The one wording of each refusal. `detail`: the Sanction (RESTRICTED) or RateLimited (RATE_LIMITED)."""
    match refusal:
        case Refusal.BAD_VALUE:
            return "A vote is up or down."
        case Refusal.LOGGED_OUT:
            return "Log in to vote."
        case Refusal.RESTRICTED:
            return str(MemberRestricted(detail))
        case Refusal.NOT_PUBLIC:
            return f"Only published {kind}s can be voted on."
        case Refusal.OWN_POST:
            return f"You can't vote on your own {kind}."
        case Refusal.RATE_LIMITED:
            return ratelimit.message(detail)
        case Refusal.FAILED:
            return "Your vote could not be saved. Try again."
    raise ValueError(refusal)


@dataclass
class VoteOutcome:
    item: Question | Answer  # with its fresh score
    my_vote: int  # the voter's vote now: 1, -1 or 0 (none)


def vote(*, voter, item: Question | Answer, value: int, rate_limit: bool = False) -> VoteOutcome:
    """`voter` votes `value` (+1 up, -1 down) on a public question or answer: a batch of one through
    `vote_many` (same rules, writes and event), for callers that want an exception for a refusal
    (ValidationError, PermissionDenied: NotVotable, MemberRestricted; RateLimited when `rate_limit`).
    The page's form calls `vote_many` itself, with the member's rate limit."""
    [result] = vote_many(
        [Ballot(voter=voter, kind=item.kind_name, item_id=item.pk, value=value)], rate_limit=rate_limit
    )
    if result.refusal is not None:
        raise result.exception()
    item.score = result.score
    return VoteOutcome(item=item, my_vote=result.my_vote)


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
    refusal: Refusal | None = None  # why the ballot did not count (None when it counted)
    detail: object = None  # the refusal's Sanction or RateLimited

    @property
    def error(self) -> str:
        """Why the ballot was refused, in words ("" when it counted)."""
        if self.refusal is None:
            return ""
        return refusal_message(self.refusal, kind=self.kind, detail=self.detail)

    def exception(self) -> Exception:
        """The refusal as the exception a service raises."""
        text = self.error
        match self.refusal:
            case Refusal.BAD_VALUE:
                return ValidationError(text)
            case Refusal.RESTRICTED:
                return MemberRestricted(self.detail)
            case Refusal.NOT_PUBLIC | Refusal.OWN_POST:
                return NotVotable(text)
            case Refusal.RATE_LIMITED:
                return self.detail
        return PermissionDenied(text)


def vote_many(ballots: list[Ballot], *, rate_limit: bool = True) -> list[BallotResult]:
    """Apply `ballots` in order, in one transaction: the one vote engine (the page's form sends a batch of
    one, the live socket many: forum.voting.queue). No vote yet: the vote is stored; a member's second
    identical ballot on a post removes their vote, the other way switches it. Own, non-public and unknown
    posts, logged-out, inactive, suspended and banned members are refused (that ballot only, with a
    `Refusal` code). With `rate_limit`, each voter's accepted ballots take their "vote" budget
    (forum.safety.ratelimit.take_many, atomic): refused ballots cost nothing, those beyond the budget are refused.
    Writes, in a handful of statements whatever the number of ballots: the vote rows, each post's score
    and each author's reputation (relative updates; on PostgreSQL all in one statement; none for anonymous
    questions), then, after the commit, badges for authors who gained; one "score" event per changed
    post (not one per ballot), after commit. No audit entry: the Vote rows are the record."""

    results = [BallotResult(kind=b.kind, item_id=b.item_id) for b in ballots]
    if not ballots:
        return results
    with transaction.atomic():
        # The posts' rows are locked in id order: concurrent batches queue on them and never deadlock.
        active, restricted = _voters({b.voter.pk for b in ballots})
        posts = _lock_public_posts(ballots)  # (kind, id) -> {"author_id", "anonymous", "question_id"}
        for ballot, result in zip(ballots, results, strict=True):
            result.refusal, result.detail = _refusal(ballot, posts, active, restricted)
        if rate_limit:
            _take_budget(ballots, results)
        keys = [(b.voter.pk, b.kind, b.item_id) for b in ballots]
        before = _current_votes(keys)  # (voter, kind, id) -> (vote id, value)
        now = {key: value for key, (_, value) in before.items()}
        for ballot, key, result in zip(ballots, keys, results, strict=True):
            if result.refusal is None:
                old = now.get(key, 0)
                now[key] = result.my_vote = 0 if old == ballot.value else ballot.value
        changed = {key: value for key, value in now.items() if value != before.get(key, (None, 0))[1]}
        scores, gained = _apply(changed, before, posts)
    # After the commit, so the posts' locks are not held meanwhile; awards are idempotent.
    _award_badges(gained)
    for result in results:
        if result.refusal is None:
            result.score = scores.get(
                (result.kind, result.item_id), posts[(result.kind, result.item_id)]["score"]
            )
    return results


def _refusal(ballot, posts, active, restricted) -> tuple[Refusal | None, object]:
    voter = ballot.voter
    if ballot.value not in (Vote.UP, Vote.DOWN):
        return Refusal.BAD_VALUE, None
    if voter.pk not in active:
        return Refusal.LOGGED_OUT, None
    if voter.pk in restricted:
        return Refusal.RESTRICTED, restricted[voter.pk]
    post = posts.get((ballot.kind, ballot.item_id))
    if post is None:
        return Refusal.NOT_PUBLIC, None
    if post["author_id"] == voter.pk:
        return Refusal.OWN_POST, None
    return None, None


def _take_budget(ballots, results) -> None:
    """Each voter's accepted ballots take their rate-limit budget in one atomic step; those beyond what was
    left are refused."""
    accepted = Counter(b.voter for b, r in zip(ballots, results, strict=True) if r.refusal is None)
    over = ratelimit.take_many(accepted, "vote")
    if not over:
        return
    taken: dict[int, int] = defaultdict(int)
    for ballot, result in zip(ballots, results, strict=True):
        if result.refusal is None and ballot.voter in over:
            allowed, limited = over[ballot.voter]
            if taken[ballot.voter.pk] >= allowed:
                result.refusal, result.detail = Refusal.RATE_LIMITED, limited
            else:
                taken[ballot.voter.pk] += 1


def _voters(voter_ids) -> tuple[set[int], dict[int, Sanction]]:
    """The active members among `voter_ids`, and the sanction that stops each restricted one: one query,
    and a second only when someone is restricted."""

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

    if not gained:
        return
    codes = set().union(*gained.values())
    held = defaultdict(set)
    for user_id, code in BadgeAward.objects.filter(user_id__in=gained, badge__code__in=codes).values_list(
        "user_id", "badge__code"
    ):
        held[user_id].add(code)
    missing = {pk: wanted - held[pk] for pk, wanted in gained.items() if wanted - held[pk]}
    if not missing:
        return  # the usual case: no transaction for a read (two round trips of every form vote)
    with transaction.atomic():
        for author in User.objects.filter(pk__in=missing):
            badges.award_badges_for(author, only=sorted(missing[author.pk]))


def _add_by_pk(model, field: str, deltas: dict[int, int]) -> None:
    """One UPDATE adding deltas[pk] to `field` of each row (relative: concurrent changes add up)."""
    if deltas:
        addend = Case(*(When(pk=pk, then=Value(d)) for pk, d in deltas.items()), default=Value(0))
        model.objects.filter(pk__in=deltas).update(**{field: F(field) + addend})

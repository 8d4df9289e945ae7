"""Trust levels and earned badges: a small rules engine.

Each rule has a code (the `Badge.code` seeded by migration 0004), a name, a description, a tier and a
condition on the member. `award_badges_for(user)` awards every badge whose condition has become true, once:
the database's unique constraint (one award per member and badge) makes a second award impossible, even
from two transactions at once. Services call it after each change that can make a condition true (a post
published, a vote, an acceptance, a feature, a reputation recompute). Badges are never taken back.

Anonymous questions count for nothing here, so a badge can never hint at who asked one.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from community.notifications.services import notify

from .models import Badge, BadgeAward, User

TRUSTED_REPUTATION = 500
SCORE_FOR_BADGE = 10

log = logging.getLogger(__name__)


def is_trusted(user) -> bool:
    return bool(user and user.is_authenticated and user.reputation >= TRUSTED_REPUTATION)


# A member's public questions and public answers, as querysets of member id: content is forum's, and it
# registers how to find them (forum.people.badges); anonymous questions must not count.
PUBLIC_POSTS: dict = {}


def register_public_posts(*, questions, answers) -> None:
    PUBLIC_POSTS.update(questions=questions, answers=answers)


def _questions(user_id):
    return PUBLIC_POSTS["questions"](user_id)


def _answers(user_id):
    return PUBLIC_POSTS["answers"](user_id)


def _reputation_at_least(user_id, minimum: int) -> bool:
    # Read from the database: reputation moves by F() updates, so an instance in memory may be stale.
    return User.objects.filter(pk=user_id, reputation__gte=minimum).exists()


@dataclass(frozen=True)
class BadgeRule:
    code: str
    name: str
    description: str
    tier: int
    condition: Callable[[int], bool]  # member id -> has the member earned it?


BRONZE, SILVER, GOLD = 1, 2, 3

RULES: tuple[BadgeRule, ...] = (
    BadgeRule(
        "first-question",
        "First Question",
        "Asked a question that was published.",
        BRONZE,
        lambda user_id: _questions(user_id).exists(),
    ),
    BadgeRule(
        "first-answer",
        "First Answer",
        "Wrote an answer that was published.",
        BRONZE,
        lambda user_id: _answers(user_id).exists(),
    ),
    BadgeRule(
        "helpful",
        "Helpful",
        f"Wrote an answer with a score of {SCORE_FOR_BADGE} or more.",
        SILVER,
        lambda user_id: _answers(user_id).filter(score__gte=SCORE_FOR_BADGE).exists(),
    ),
    BadgeRule(
        "good-question",
        "Good Question",
        f"Asked a question with a score of {SCORE_FOR_BADGE} or more.",
        SILVER,
        lambda user_id: _questions(user_id).filter(score__gte=SCORE_FOR_BADGE).exists(),
    ),
    BadgeRule(
        "featured",
        "Featured",
        "Wrote an expert answer that moderators featured.",
        GOLD,
        lambda user_id: _answers(user_id).filter(is_featured=True).exists(),
    ),
    BadgeRule(
        "trusted",
        "Trusted Member",
        f"Reached {TRUSTED_REPUTATION} reputation.",
        GOLD,
        lambda user_id: _reputation_at_least(user_id, TRUSTED_REPUTATION),
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}

# Which rules each kind of change can make true; services pass these as `only=` to skip needless checks.
ON_QUESTION_PUBLISHED = ("first-question",)
ON_ANSWER_PUBLISHED = ("first-answer",)
ON_ANSWER_VOTED = ("helpful", "trusted")
ON_QUESTION_VOTED = ("good-question", "trusted")
ON_ACCEPTED = ("trusted",)
ON_FEATURED = ("featured", "trusted")


def award_badges_for(user, *, only: Iterable[str] | None = None) -> list:
    """Award `user` every badge (of `only`, or of all rules) whose condition is now true and that they
    do not hold yet.

    Who may call: services, inside their transaction, after a change that can make a condition true.
    Writes: one BadgeAward per new badge (idempotent: calling it twice, or from two transactions at once,
    gives one award). Sends: a "badge" notification per new badge (live on the member's stream after commit).
    Returns the new awards.
    """
    if user is None or not user.pk:
        return []
    rules = [RULES_BY_CODE[code] for code in only] if only is not None else list(RULES)
    held = set(
        BadgeAward.objects.filter(user_id=user.pk, badge__code__in=[r.code for r in rules]).values_list(
            "badge__code", flat=True
        )
    )
    due = [rule for rule in rules if rule.code not in held and rule.condition(user.pk)]
    if not due:
        return []
    badges = {badge.code: badge for badge in Badge.objects.filter(code__in=[r.code for r in due])}
    new_awards = []
    for rule in due:
        badge = badges.get(rule.code)
        if badge is None:
            log.warning("Badge %s is not seeded; run the accounts migrations.", rule.code)
            continue
        award, created = BadgeAward.objects.get_or_create(user_id=user.pk, badge=badge)
        if created:
            new_awards.append(award)
            notify(
                user,
                "badge",
                f"You earned the “{badge.name}” badge: {badge.description}",
                badge.get_absolute_url(),
            )
    return new_awards

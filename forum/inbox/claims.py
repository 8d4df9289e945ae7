"""The soft "I'm answering this" claim: an expert tells the other experts they are writing an answer, so two
do not write the same one. It is a hint, not a lock (anyone may still answer): kept in the cache (Redis in
production) for an hour, cleared by "Stop" or by posting an answer, and announced live on the experts-only
stream (community.live.events.EXPERTS_STREAM; forum.live.consumers lets only acting experts follow it). The
event holds the question's id and the expert's public name, nothing else."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.permissions import acting_expert
from community.live import events

CLAIM_SECONDS = 60 * 60
CLAIM_EVENT = "expert.claim"


@dataclass
class Claim:
    question_id: int
    user_id: int
    name: str
    since: datetime


def _key(question_id: int) -> str:
    return f"expert-claim:{question_id}"


def _announce(question_id: int, claim: Claim | None) -> None:
    data = {"question_id": question_id, "claimed": claim is not None}
    if claim is not None:
        data.update(by_id=claim.user_id, by=claim.name, since=claim.since.isoformat())
    events.publish(events.EXPERTS_STREAM, CLAIM_EVENT, data)


def claim(*, expert, question) -> Claim:
    """`expert` says they are answering the public `question` (for an hour, or until they stop or answer)."""
    if acting_expert(expert) is None:
        raise PermissionDenied("Only verified experts can say they are answering a question.")
    if not question.is_public or not question.takes_answers:
        raise PermissionDenied("This question is not open for answers.")
    found = Claim(question.pk, expert.pk, expert.public_name, timezone.now())
    cache.set(_key(question.pk), found.__dict__, CLAIM_SECONDS)
    _announce(question.pk, found)
    return found


def release(*, expert, question_id: int) -> bool:
    """Clear `expert`'s claim on the question (Stop, or their answer was posted). Another expert's stays."""
    current = current_claim(question_id)
    if current is None or current.user_id != expert.pk:
        return False
    cache.delete(_key(question_id))
    _announce(question_id, None)
    return True


def current_claim(question_id: int) -> Claim | None:
    stored = cache.get(_key(question_id))
    return Claim(**stored) if stored else None


def claims_for(question_ids) -> dict[int, Claim]:
    """The claims on several questions, in one cache round trip."""
    keys = {_key(pk): pk for pk in question_ids}
    return {keys[key]: Claim(**value) for key, value in cache.get_many(list(keys)).items() if value}

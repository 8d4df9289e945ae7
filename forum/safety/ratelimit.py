"""Per-member rate limits for posting, answering, voting and flagging, counted in the Django cache (Redis in
production, so every server process shares the counts).

Limits come from FORUM_RATE_LIMITS, or FORUM_NEW_MEMBER_RATE_LIMITS for accounts younger than
FORUM_NEW_MEMBER_DAYS; moderators are exempt. Windows are fixed (e.g. each clock hour for "/h"), which is
cheap (one counter per member, action and window) and good enough against floods. Only successful actions
count: a form sent back with an error costs nothing.
"""

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import ngettext

from forum.models import is_moderator
from forum.safety.spam import is_new_member

RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Each action's noun, singular and plural ("a limit of 1 vote", "of 20 votes").
ACTION_LABELS = {
    "question": ("question", "questions"),
    "answer": ("answer", "answers"),
    "vote": ("vote", "votes"),
    "flag": ("flag", "flags"),
    "api": ("request", "requests"),
}


def parse(rate: str) -> tuple[int, int]:
    """ "10/h" -> (10, 3600); "3/15m" -> (3, 900)."""
    match = RATE_RE.match(rate or "")
    if not match:
        raise ValueError(f"Bad rate {rate!r}: use count/period, e.g. 10/h or 3/15m.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNIT_SECONDS[unit]


@dataclass
class RateLimited(Exception):
    action: str
    retry_after: int
    limit: int
    period: int

    def __str__(self):
        return message(self)


def limit_for(user, action: str) -> tuple[int, int] | None:
    if user is None or not user.is_authenticated or is_moderator(user):
        return None
    table = settings.FORUM_NEW_MEMBER_RATE_LIMITS if is_new_member(user) else settings.FORUM_RATE_LIMITS
    rate = table.get(action)
    return parse(rate) if rate else None


def _key(user, action: str, period: int, now: float) -> tuple[str, int]:
    window = int(now // period)
    return f"rl:{action}:{user.pk}:{period}:{window}", period - int(now % period)


def check(user, action: str) -> None:
    """Raise RateLimited if `user` has used up `action` in the current window."""
    limit = limit_for(user, action)
    if limit is None:
        return
    count, period = limit
    key, remaining = _key(user, action, period, time.time())
    if (cache.get(key) or 0) >= count:
        raise RateLimited(action=action, retry_after=max(remaining, 1), limit=count, period=period)


def hit(user, action: str) -> None:
    """Count one successful `action` by `user`."""
    limit = limit_for(user, action)
    if limit is None:
        return
    _, period = limit
    key, _ = _key(user, action, period, time.time())
    _add_counts({key: (1, period + 60)})


def take_many(wanted: dict, action: str) -> dict:
    """Take `wanted[user]` counts of `action` for each user at once, as far as their limits allow, checking
    and counting in one atomic step (with Redis, one round trip for everyone: community.cache.take_many);
    returns {user: (allowed, RateLimited)} for the users who could not take them all (only their first
    `allowed` were counted). For the vote engine (forum.voting.services.vote_many), which asks only for accepted
    ballots, so a refused one costs nothing."""
    now = time.time()
    plans = {}  # user -> (key, seconds left in the window, limit, period)
    for user, count in wanted.items():
        limit = limit_for(user, action)
        if limit is not None and count > 0:
            key, remaining = _key(user, action, limit[1], now)
            plans[user] = (key, remaining, *limit)
    taken = _take(
        {key: (wanted[user], count, period + 60) for user, (key, _, count, period) in plans.items()}
    )
    refused = {}
    for user, (key, remaining, count, period) in plans.items():
        if key not in taken:
            continue  # the cache is unreachable: like `check`, let the action through
        if taken[key] < wanted[user]:
            refused[user] = (
                taken[key],
                RateLimited(action=action, retry_after=max(remaining, 1), limit=count, period=period),
            )
    return refused


def take_for_client(client: str, action: str, rate: str) -> RateLimited | None:
    """Count one `action` by a client that is not a member (the read API's callers, by address) against
    `rate` ("120/m"), checked and counted in one step like members' limits; the RateLimited to answer with
    when it is used up, else None. `client` is hashed into the key, so the cache holds no address."""
    count, period = parse(rate)
    now = time.time()
    digest = hashlib.sha256(client.encode()).hexdigest()[:24]
    key = f"rl:{action}:client:{digest}:{period}:{int(now // period)}"
    taken = _take({key: (1, count, period + 60)})
    if taken.get(key, 1) >= 1:  # missing: the cache is unreachable, let the request through
        return None
    return RateLimited(
        action=action, retry_after=max(period - int(now % period), 1), limit=count, period=period
    )


_local_lock = threading.Lock()


def _take(asks: dict[str, tuple[int, int, int]]) -> dict[str, int]:
    """{key: (wanted, limit, timeout)} -> {key: how many were taken}: as many as the limit leaves, checked
    and added atomically. Without Redis (the local-memory cache of one process), a lock makes it so."""
    if not asks:
        return {}
    if hasattr(cache, "take_many"):
        return cache.take_many(asks)
    taken = {}
    with _local_lock:
        for key, (want, limit, timeout) in asks.items():
            used = cache.get(key) or 0
            taken[key] = max(0, min(want, limit - used))
            if taken[key]:
                cache.set(key, used + taken[key], timeout=timeout)
    return taken


def _add_counts(deltas: dict[str, tuple[int, int]]) -> dict[str, int]:
    if hasattr(cache, "incr_many"):
        return cache.incr_many(deltas)
    totals = {}
    for key, (delta, timeout) in deltas.items():
        cache.add(key, 0, timeout=timeout)
        try:
            totals[key] = cache.incr(key, delta)
        except ValueError:  # expired between add and incr
            cache.set(key, delta, timeout=timeout)
            totals[key] = delta
    return totals


def _human(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = round(seconds / 60)
    if minutes < 90:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = round(seconds / 3600)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def message(exc: RateLimited) -> str:
    one, other = ACTION_LABELS.get(exc.action, (exc.action, exc.action))
    what = ngettext(one, other, exc.limit)
    return (
        f"You have reached the limit of {exc.limit} {what} per {_human(exc.period)}. "
        f"Please try again in {_human(exc.retry_after)}."
    )


def too_many_requests(request, exc: RateLimited | None = None, retry_after: int | None = None):
    """The 429 answer: a page, or a small fragment for htmx, with a Retry-After header."""
    retry_after = exc.retry_after if exc else (retry_after or 300)
    text = message(exc) if exc else f"Too many attempts. Please try again in {_human(retry_after)}."
    template = "forum/_rate_limited.html" if getattr(request, "htmx", False) else "429.html"
    response = render(request, template, {"message": text, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(action: str):
    """View decorator: refuse a POST with 429 when the member is over the limit; count it when it succeeds
    (any response below 400)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST" or not request.user.is_authenticated:
                return view(request, *args, **kwargs)
            try:
                check(request.user, action)
            except RateLimited as exc:
                return too_many_requests(request, exc)
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                hit(request.user, action)
            return response

        return wrapper

    return decorator

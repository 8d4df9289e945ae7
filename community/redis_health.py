"""One place that notices Redis going away and coming back, so an outage logs one warning per process.

The cache (community.cache), the live-event publisher (community.live.events) and the channel layer
(community.live.channel_layer) all report here. Pages keep working while Redis is down: the cache degrades to
misses and live updates pause; they resume by themselves when Redis answers again.
"""

import logging
import threading

log = logging.getLogger("community.redis")

_lock = threading.Lock()
_down = False


def is_down() -> bool:
    return _down


def report_down(component: str, exc: BaseException) -> None:
    """Record a failed Redis call; the first one of an outage logs a warning (no keys, no data)."""
    global _down
    if _down:
        return
    with _lock:
        if _down:
            return
        _down = True
    log.warning(
        "Redis unreachable (%s: %s): live updates paused, cache bypassed; pages keep working.",
        component,
        type(exc).__name__,
    )


def report_up(component: str) -> None:
    """Record a successful Redis call; the first one after an outage logs that service is back."""
    global _down
    if not _down:
        return
    with _lock:
        if not _down:
            return
        _down = False
    log.info("Redis reachable again (%s): live updates resume.", component)

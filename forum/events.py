"""The one place that turns a domain change into a live event.

Services call `publish(...)` inside their transaction; the event leaves only after the commit
(`transaction.on_commit`), so a rolled-back change is never broadcast. Delivery goes through the channel
layer to the consumers in `forum.consumers`. If the layer is unreachable (Redis down), the change itself
still stands: one warning is logged and the live update is skipped.
"""

import logging
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def question_stream(question_id: int) -> str:
    return f"question.{question_id}"


def category_stream(slug: str) -> str:
    return f"feed.category.{slug}"


def user_stream(user_id: int) -> str:
    return f"user.{user_id}"


HOME_STREAM = "feed.home"
MODERATION_STREAM = "moderation"


def group_name(stream: str) -> str:
    # Channel-layer group names allow only ASCII letters, digits, hyphens, underscores and periods.
    return "s." + "".join(c if c.isalnum() or c in "-_." else "_" for c in stream)[:90]


@dataclass
class Event:
    stream: str
    type: str
    data: dict = field(default_factory=dict)
    html: str = ""


_outage_logged = False


def _send(event: Event) -> None:
    global _outage_logged
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "stream.event", "stream": event.stream, "event": event.type, "data": event.data}
    if event.html:
        message["html"] = event.html
    try:
        async_to_sync(layer.group_send)(group_name(event.stream), message)
    except Exception as exc:  # the write already committed; a live update is best effort
        if not _outage_logged:
            log.warning("Live updates paused: channel layer unreachable (%s)", type(exc).__name__)
            _outage_logged = True
        return
    if _outage_logged:
        log.info("Live updates resumed.")
        _outage_logged = False


def publish(stream: str, type: str, data: dict | None = None, html: str = "") -> None:
    """Queue an event for `stream`; it is sent once the current transaction commits."""
    event = Event(stream=stream, type=type, data=data or {}, html=html)
    transaction.on_commit(lambda: _send(event))

"""The one place that turns a domain change into a live event.

Services call `forum.live.announce` helpers, which call `publish(...)` inside the service's transaction; the event
leaves only after the commit (`transaction.on_commit`), so a rolled-back change is never broadcast.

Sending an event (after commit):
1. it gets the next sequence number of its stream and goes into the stream's bounded backlog
   (`community.live.backlog`: a Redis Stream, or an in-process deque without Redis), for clients that reconnect;
2. the client's JSON text is encoded once, and one `group_send` hands it to the channel layer, whose
   consumers (`forum.live.consumers.LiveConsumer`) relay it unchanged to every subscribed socket.

If Redis is unreachable the change itself still stands: one warning is logged (community.redis_health), the
live update is skipped, and the stream is remembered; once Redis answers again a "refetch" event goes out on
it so open pages reload what they missed.

Event text sent to browsers: {"stream", "seq", "event", "data", "html"?}.
"""

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from community import redis_health
from community.live.backlog import get_backlog
from community.metrics import live as live_metrics

log = logging.getLogger(__name__)


def question_stream(question_id: int) -> str:
    return f"question.{question_id}"


def category_stream(slug: str) -> str:
    return f"feed.category.{slug}"


def tag_stream(slug: str) -> str:
    return f"feed.tag.{slug}"


def user_stream(user_id: int) -> str:
    return f"user.{user_id}"


HOME_STREAM = "feed.home"
MODERATION_STREAM = "moderation"
EXPERTS_STREAM = "experts"  # acting verified experts only (forum.live.consumers): "I'm answering this"


def group_name(stream: str) -> str:
    # Channel-layer group names allow only ASCII letters, digits, hyphens, underscores and periods.
    return "s." + "".join(c if c.isalnum() or c in "-_." else "_" for c in stream)[:90]


@dataclass
class Event:
    stream: str
    type: str
    data: dict = field(default_factory=dict)
    html: str = ""
    # Evaluated after the commit and merged into `data`: counts that must include concurrent commits.
    late_data: Callable[[], dict] | None = None


def encode(stream: str, seq: int, type: str, data: dict, html: str = "") -> str:
    payload = {"stream": stream, "seq": seq, "event": type, "data": data}
    if html:
        payload["html"] = html
    return json.dumps(payload, separators=(",", ":"))


def layer_message(stream: str, seq: int, type: str, text: str) -> dict:
    """What consumers receive: the browser's text, encoded once, plus what they need to keep order."""
    return {"type": "stream.event", "stream": stream, "seq": seq, "event": type, "text": text}


def _send(event: Event) -> bool:
    """Backlog, then broadcast. Returns False when Redis (or the layer) was unreachable."""
    data = dict(event.data)
    if event.late_data is not None:
        try:
            data.update(event.late_data())
        except Exception:
            log.exception("Could not compute the late data of a %s event", event.type)
    entry = {"stream": event.stream, "event": event.type, "data": data}
    if event.html:
        entry["html"] = event.html
    try:
        seq = get_backlog().append(event.stream, entry)
        layer = get_channel_layer()
        if layer is not None:
            text = encode(event.stream, seq, event.type, data, event.html)
            async_to_sync(layer.group_send)(
                group_name(event.stream), layer_message(event.stream, seq, event.type, text)
            )
            live_metrics.event_published(event.type)
    except Exception as exc:  # the write already committed; a live update is best effort
        redis_health.report_down("live events", exc)
        _remember_lost(event.stream)
        return False
    if redis_health.is_down():
        redis_health.report_up("live events")
    if _lost:
        _flush_lost()
    return True


def publish(
    stream: str,
    type: str,
    data: dict | None = None,
    html: str = "",
    late_data: Callable[[], dict] | None = None,
) -> None:
    """Queue an event for `stream`; it is sequenced, backlogged and sent once the transaction commits."""
    event = Event(stream=stream, type=type, data=data or {}, html=html, late_data=late_data)
    transaction.on_commit(lambda: _send(event))


# --- Streams whose events were lost during an outage --------------------------------------------------------

_lost: set[str] = set()
_lost_lock = threading.Lock()
_retry_thread: threading.Thread | None = None
RETRY_DELAYS = (0.5, 1, 2, 4, 5)


def _remember_lost(stream: str) -> None:
    global _retry_thread
    with _lost_lock:
        _lost.add(stream)
        if _retry_thread is None or not _retry_thread.is_alive():
            _retry_thread = threading.Thread(target=_retry_until_sent, name="live-events-retry", daemon=True)
            _retry_thread.start()


def _flush_lost() -> bool:
    """Tell every stream that lost events to refetch. True when nothing is left to tell."""
    with _lost_lock:
        streams = sorted(_lost)
        _lost.clear()
    for i, stream in enumerate(streams):
        if not _send_refetch(stream):
            with _lost_lock:
                _lost.update(streams[i:])
            return False
    return True


def _send_refetch(stream: str) -> bool:
    entry = {"stream": stream, "event": "refetch", "data": {"reason": "events lost while Redis was down"}}
    try:
        seq = get_backlog().append(stream, entry)
        layer = get_channel_layer()
        if layer is not None:
            text = encode(stream, seq, "refetch", entry["data"])
            async_to_sync(layer.group_send)(group_name(stream), layer_message(stream, seq, "refetch", text))
    except Exception:
        return False
    return True


def _retry_until_sent() -> None:
    attempt = 0
    while True:
        time.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
        attempt += 1
        with _lost_lock:
            if not _lost:
                return
        if _flush_lost():
            redis_health.report_up("live events")
            return


# --- What a page needs to follow its streams ----------------------------------------------------------------


def current_seqs(streams: list[str]) -> dict[str, int]:
    """The latest sequence of each stream, read *before* a page reads its data: the browser then asks for
    everything after it, so nothing committed between the read and the WebSocket subscription is missed.
    Empty when Redis is unreachable (the page then simply follows from "now")."""
    try:
        seqs = get_backlog().current(streams)
    except Exception as exc:
        redis_health.report_down("live events", exc)
        return {}
    if redis_health.is_down():
        redis_health.report_up("live events")
    return seqs


def page_stream(stream: str) -> dict:
    """Template context for a page that follows `stream` (`<main data-stream data-stream-seq>`)."""
    return {"stream": stream, "stream_seq": current_seqs([stream]).get(stream, "")}

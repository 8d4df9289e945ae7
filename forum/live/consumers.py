"""WebSocket consumers: subscribe, authorise, relay. No domain logic and no database work on fan-out.

Protocol (client -> server), one JSON text message of at most 4 KiB:
    {"subscribe": ["question.12", "feed.home", ...], "since": {"question.12": 41}}
`since` is the last sequence the page has seen of a stream (the page renders it; the client remembers it
across reconnects). Each stream is authorised once, at subscribe time, against the socket's session user:
a question stream only if the question is visible to the user, "moderation" only for moderators, "experts"
only for acting verified experts,
"user.<id>" only for that member. The server answers {"subscribed": stream, "seq": n} or
{"denied": stream}, then replays what the client missed from the stream's backlog, or, when that is no
longer possible, sends {"stream", "seq", "event": "refetch"} so the client reloads the fragment.

A member can also vote on the socket (the page's vote buttons do when it is open; static/js/live.js):
    {"vote": {"kind": "answer", "id": 12, "value": "up"}, "ref": 7}
answered, once the vote is committed, with {"voted": {"kind", "id", "score", "my_vote"}, "ref": 7} or
{"vote_refused": {"kind", "id", "error"}, "ref": 7}. The rules are the page's (forum.voting.services); the votes of
everyone connected to the process are written in batches (forum.voting.queue).

Events (server -> client) are {"stream", "seq", "event", "data", "html"?}, encoded once by the publisher
(community.live.events) and relayed unchanged. A consumer keeps the last sequence it relayed per stream: a
duplicate is skipped, a gap (pub/sub delivers at most once) is filled from the backlog. When the channel
layer comes back after a Redis outage (community.live.channel_layer sends "live.resync"), every stream is
refetched, because events published during the outage were lost. When a question stops being public
("question.removed"), only moderators and the author keep following its stream, and the author only while
the visibility rule still lets them see it (not once it is deleted): the one rare event that reads the
database on fan-out, and only for those few sockets.

Anything else is ignored with a log line that holds none of its content, and the consumer keeps serving:
binary or oversized frames (capped before parsing), text that is not UTF-8, JSON nested deeper than the
protocol's two levels (checked before parsing: the parser recurses), anything but an object, unknown kinds
or keys, and values of the wrong type or out of range.
"""

import json
import logging
import re

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from redis.exceptions import RedisError

from accounts.permissions import acting_expert
from community import redis_health
from community.live import events
from community.live.backlog import get_backlog
from community.metrics import live as live_metrics
from forum.models import POST_MODELS, Question, is_moderator
from forum.voting import services as voting
from forum.voting.queue import get_queue

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
MAX_DEPTH = 2  # {"subscribe": [...], "since": {...}} and {"vote": {...}} nest two deep
MAX_STREAMS = 20
MAX_SAFE_INT = 2**53  # sequences and refs stay exact in the browser's numbers
MAX_ID = 2**63 - 1  # BigAutoField
SUBSCRIBE_KEYS = {"subscribe", "since"}
VOTE_KEYS = {"vote", "ref"}
BALLOT_KEYS = {"kind", "id", "value"}
STREAM_RE = re.compile(
    r"^(feed\.home|feed\.category\.[\w-]{1,60}|feed\.tag\.[\w-]{1,60}|question\.\d{1,12}|moderation|experts|user\.\d{1,12})$"
)
OUTAGE_ERRORS = (RedisError, OSError)
TRY_AGAIN_LATER = 1013  # WebSocket close code: the client reconnects with backoff


@database_sync_to_async
def _authorise(user, stream: str) -> tuple[bool, bool]:
    """(may follow, keeps following when the question stops being public)."""
    if stream == events.MODERATION_STREAM:
        return is_moderator(user), True
    if stream == events.EXPERTS_STREAM:
        return acting_expert(user) is not None, True
    if stream.startswith("user."):
        return bool(user and user.is_authenticated and stream == events.user_stream(user.pk)), True
    if stream.startswith("question."):
        pk = int(stream.split(".", 1)[1])
        author_id = (
            Question.objects.visible_to(user).filter(pk=pk).values_list("author_id", flat=True).first()
        )
        if author_id is None:
            return False, False
        return True, is_moderator(user) or (user.is_authenticated and author_id == user.pk)
    return True, False  # feeds carry approved content only


def _is_int(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _nests_too_deep(text: str) -> bool:
    """Whether the JSON in `text` nests deeper than MAX_DEPTH (brackets inside strings do not count), read
    without parsing: Python's parser recurses, and 4 KB of "[[[[..." exhaust its stack."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False  # too few brackets to nest deeper (a vote, the frequent message, has two)
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _unreadable(text_data: str | None, bytes_data: bytes | None) -> str:
    """Why a frame is refused before it is parsed (the size is capped first), or "" to parse it."""
    if bytes_data is not None or text_data is None:
        return "binary"
    if len(text_data) > MAX_MESSAGE_BYTES:  # cheap first: a character is at least one byte
        return "oversized"
    try:
        if len(text_data.encode()) > MAX_MESSAGE_BYTES:
            return "oversized"
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8 text
        return "not UTF-8"
    if _nests_too_deep(text_data):
        return "nested too deep"
    return ""


def _read(text_data: str | None, bytes_data: bytes | None) -> dict | None:
    """The client's message as a JSON object, or None, with a log line that holds none of its content
    (it may be health data): binary, oversized, not UTF-8, nested too deep, not JSON, not an object."""
    reason = _unreadable(text_data, bytes_data)
    if not reason:
        try:
            message = json.loads(text_data)
        except ValueError:  # also integers of more digits than Python converts
            reason = "not JSON"
        else:
            if isinstance(message, dict):
                return message
            reason = "not a JSON object"
    log.info("Ignored a WebSocket message: %s.", reason)
    return None


class LiveConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        # With Redis down the layer cannot even give this socket a channel: refuse it quietly (the
        # client retries with backoff) instead of logging a traceback per attempt.
        try:
            await super().__call__(scope, receive, send)
        except OUTAGE_ERRORS as exc:
            redis_health.report_down("websocket", exc)
            try:
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
            except Exception:  # the socket may already be gone
                log.debug("Socket closed before it could be refused")

    async def connect(self):
        self.streams: dict[str, int | None] = {}  # stream -> last sequence relayed (None: not known yet)
        self.keepers: set[str] = set()  # streams that survive "question.removed"
        await self.accept()

    async def dispatch(self, message):
        """Channels' dispatch without its thread switch before every message (to close stale database
        connections): this consumer reaches the database only through database_sync_to_async, which does
        that itself. With 1,000 sockets that switch, once per socket per event, was half of a server's
        fan-out work (bench/RESULTS.md)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        for stream in list(getattr(self, "streams", {})):
            try:
                await self.channel_layer.group_discard(events.group_name(stream), self.channel_name)
            except OUTAGE_ERRORS:
                break

    # --- Client messages -----------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        message = _read(text_data, bytes_data)
        if message is None:
            return
        if "vote" in message:
            await self._vote(message)
        elif "subscribe" in message:
            await self._subscribe(message)
        else:
            log.info("Ignored a WebSocket message of no known kind.")

    async def _subscribe(self, message: dict) -> None:
        wanted, since = message["subscribe"], message.get("since") or {}
        if (
            not message.keys() <= SUBSCRIBE_KEYS
            or not isinstance(wanted, list)
            or not isinstance(since, dict)
            or not all(_is_int(seq, 0, MAX_SAFE_INT) for seq in since.values())
        ):
            log.info("Ignored a malformed WebSocket message.")
            return
        user = self.scope.get("user")
        if not all(isinstance(s, str) and STREAM_RE.match(s) for s in wanted):
            log.info("Ignored invalid stream names in a WebSocket message.")
        for stream in wanted[:MAX_STREAMS]:
            if not isinstance(stream, str) or not STREAM_RE.match(stream) or stream in self.streams:
                continue
            if len(self.streams) >= MAX_STREAMS:
                break
            allowed, keeps = await _authorise(user, stream)
            if not allowed:
                await self.send_json({"denied": stream})
                continue
            try:
                await self.channel_layer.group_add(events.group_name(stream), self.channel_name)
                await self._start(stream, since.get(stream), keeps)
            except OUTAGE_ERRORS as exc:
                redis_health.report_down("websocket", exc)
                await self.close(code=TRY_AGAIN_LATER)
                return

    async def _vote(self, message: dict) -> None:
        ballot, ref = message["vote"], message.get("ref")
        if (
            not message.keys() <= VOTE_KEYS
            or not (ref is None or _is_int(ref, 0, MAX_SAFE_INT))
            or not isinstance(ballot, dict)
            or ballot.keys() != BALLOT_KEYS
            or not isinstance(ballot["kind"], str)
            or ballot["kind"] not in POST_MODELS
            or not _is_int(ballot["id"], 1, MAX_ID)
            or not isinstance(ballot["value"], str)
            or ballot["value"] not in voting.VALUES
        ):
            log.info("Ignored a malformed vote message.")
            return
        kind, pk, value = ballot["kind"], ballot["id"], voting.VALUES[ballot["value"]]
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.send_json(
                {
                    "vote_refused": {
                        "kind": kind,
                        "id": pk,
                        "error": voting.refusal_message(voting.Refusal.LOGGED_OUT, kind=kind),
                    },
                    "ref": ref,
                }
            )
            return
        voter = getattr(user, "_wrapped", user)  # the member behind channels' lazy object
        result = await get_queue().submit(voting.Ballot(voter=voter, kind=kind, item_id=pk, value=value))
        if result.error:
            reply = {"vote_refused": {"kind": kind, "id": pk, "error": result.error}, "ref": ref}
        else:
            reply = {
                "voted": {"kind": kind, "id": pk, "score": result.score, "my_vote": result.my_vote},
                "ref": ref,
            }
        await self.send_json(reply)

    async def _start(self, stream: str, since: int | None, keeps: bool) -> None:
        self.streams[stream] = None
        if keeps:
            self.keepers.add(stream)
        backlog = get_backlog()
        if since is None:
            self.streams[stream] = await backlog.latest(stream)
            await self.send_json({"subscribed": stream, "seq": self.streams[stream]})
            return
        await self.send_json({"subscribed": stream, "seq": since})
        self.streams[stream] = since
        await self._catch_up(stream, since)

    # --- Channel-layer messages (no database work here) ----------------------------------------------------

    async def stream_event(self, message):
        stream, seq = message["stream"], message["seq"]
        if stream not in self.streams:
            return  # dropped meanwhile
        last = self.streams[stream]
        if last is not None and seq <= last:
            return  # already relayed (replayed from the backlog)
        if last is not None and seq > last + 1:
            await self._catch_up(stream, last)  # pub/sub lost something: the backlog has it
            return
        await self._relay(stream, seq, message["event"], message["text"])

    async def live_resync(self, message):
        """The channel layer reconnected after an outage: what was published meanwhile is lost, so every
        page reloads what it follows."""
        for stream in list(self.streams):
            try:
                current = await get_backlog().latest(stream)
            except OUTAGE_ERRORS:
                current = None
            await self._refetch(stream, current, "layer reconnected")

    # --- Helpers -------------------------------------------------------------------------------------------

    async def _catch_up(self, stream: str, last: int) -> None:
        try:
            missed, current = await get_backlog().since(stream, last)
        except OUTAGE_ERRORS:
            return  # the layer's resync will refetch once Redis is back
        if missed is None:
            await self._refetch(stream, current, "backlog")
            return
        for entry in missed:
            text = events.encode(stream, entry["seq"], entry["event"], entry["data"], entry.get("html", ""))
            await self._relay(stream, entry["seq"], entry["event"], text)
            if stream not in self.streams:
                return

    async def _relay(self, stream: str, seq: int, event: str, text: str) -> None:
        await self.send(text_data=text)
        live_metrics.event_delivered(event)
        self.streams[stream] = seq
        if event == "question.removed" and stream.startswith("question.") and await self._loses(stream):
            await self._drop(stream)

    async def _loses(self, stream: str) -> bool:
        """After "question.removed": members drop the stream at once; its author and moderators ask the
        visibility rule again (a hidden question stays theirs, a deleted one only the moderators')."""
        if stream not in self.keepers:
            return True
        allowed, _ = await _authorise(self.scope.get("user"), stream)
        return not allowed

    async def _refetch(self, stream: str, current: int | None, reason: str) -> None:
        self.streams[stream] = current
        await self.send_json(
            {"stream": stream, "seq": current, "event": "refetch", "data": {"reason": reason}}
        )

    async def _drop(self, stream: str) -> None:
        self.streams.pop(stream, None)
        self.keepers.discard(stream)
        await self.channel_layer.group_discard(events.group_name(stream), self.channel_name)
        await self.send_json({"unsubscribed": stream})

    async def send_json(self, content) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

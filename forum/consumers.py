"""WebSocket consumers: subscribe, authorise, relay. No domain logic and no database work on fan-out.

A client sends {"subscribe": ["question.12", "feed.home", ...]}; each stream is authorised once, at
subscribe time, against the socket's session user; events then arrive as {"stream", "event", "data",
"html"}. Malformed or oversized messages are ignored with a log line.
"""

import json
import logging
import re

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from . import events

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
MAX_STREAMS = 20
STREAM_RE = re.compile(
    r"^(feed\.home|feed\.category\.[\w-]{1,60}|feed\.tag\.[\w-]{1,60}|question\.\d{1,12}|moderation|user\.\d{1,12})$"
)


@database_sync_to_async
def _may_follow(user, stream: str) -> bool:
    from .models import Question, is_moderator

    if stream == "moderation":
        return is_moderator(user)
    if stream.startswith("user."):
        return user.is_authenticated and stream == f"user.{user.pk}"
    if stream.startswith("question."):
        pk = int(stream.split(".", 1)[1])
        return Question.objects.visible_to(user).filter(pk=pk).exists()
    return True


class LiveConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.streams: set[str] = set()
        await self.accept()

    async def disconnect(self, code):
        for stream in self.streams:
            await self.channel_layer.group_discard(events.group_name(stream), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None or len(text_data) > MAX_MESSAGE_BYTES:
            log.info("Ignored a binary or oversized WebSocket message.")
            return
        try:
            message = json.loads(text_data)
            wanted = message["subscribe"]
            if not isinstance(wanted, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            log.info("Ignored a malformed WebSocket message.")
            return
        user = self.scope.get("user")
        for stream in wanted[:MAX_STREAMS]:
            if not isinstance(stream, str) or not STREAM_RE.match(stream) or stream in self.streams:
                continue
            if len(self.streams) >= MAX_STREAMS:
                break
            if await _may_follow(user, stream):
                self.streams.add(stream)
                await self.channel_layer.group_add(events.group_name(stream), self.channel_name)
                await self.send(text_data=json.dumps({"subscribed": stream}))
            else:
                await self.send(text_data=json.dumps({"denied": stream}))

    async def stream_event(self, message):
        payload = {"stream": message["stream"], "event": message["event"], "data": message.get("data", {})}
        if "html" in message:
            payload["html"] = message["html"]
        await self.send(text_data=json.dumps(payload))

"""A bounded, per-stream backlog of live events, so a browser that reconnects can replay what it missed.

Every event gets the next sequence number of its stream (1, 2, 3, ...). With REDIS_URL the counter is a
Redis key and the events sit in a Redis Stream (XADD MAXLEN ~ LIVE_BACKLOG_SIZE, entry id "<seq>-0"), shared
by every server process; without Redis (the embedded single-process site) a deque per stream does the same.

`since(stream, seq)` answers a reconnecting client: the events after `seq`, or None when they can no longer
be replayed exactly (trimmed from the backlog, counter reset by a Redis restart or expiry) — the client then
refetches the affected fragment instead.
"""

import asyncio
import json
import threading
import weakref
from collections import deque

import redis
import redis.asyncio
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_ON = [RedisConnectionError, RedisTimeoutError]

# INCR and XADD in one atomic step, so the counter and the stream never disagree.
_APPEND = """
local seq = redis.call('INCR', KEYS[1])
local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', ARGV[1])
if type(added) == 'table' and added.err then
  -- The counter was lost (evicted or expired alone): start the stream afresh at this sequence.
  redis.call('DEL', KEYS[2])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return seq
"""


class RedisBacklog:
    def __init__(self, url: str, prefix: str, size: int, ttl: int):

        self.url, self.prefix, self.size, self.ttl = url, prefix, size, ttl
        # Short timeouts: publishing happens after a commit, inside a request; an outage must cost
        # milliseconds, not seconds. One retry on a new connection: after a Redis restart the pooled
        # connections are stale.
        self._client = redis.Redis.from_url(
            url, socket_connect_timeout=0.25, socket_timeout=0.5, retry_on_error=RETRY_ON
        )
        self._append = self._client.register_script(_APPEND)
        self._async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _keys(self, stream: str) -> tuple[str, str]:
        return f"{self.prefix}:live:seq:{stream}", f"{self.prefix}:live:log:{stream}"

    def append(self, stream: str, entry: dict) -> int:
        return int(self._append(keys=self._keys(stream), args=[json.dumps(entry), self.size, self.ttl]))

    def current(self, streams: list[str]) -> dict[str, int]:
        if not streams:
            return {}
        values = self._client.mget([self._keys(s)[0] for s in streams])
        return {s: int(v or 0) for s, v in zip(streams, values, strict=True)}

    def _async_client(self):

        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            client = redis.asyncio.Redis.from_url(
                self.url, socket_connect_timeout=0.5, socket_timeout=1, retry_on_error=RETRY_ON
            )
            self._async_clients[loop] = client
        return client

    async def latest(self, stream: str) -> int:
        return int(await self._async_client().get(self._keys(stream)[0]) or 0)

    async def since(self, stream: str, seq: int) -> tuple[list[dict] | None, int]:
        seq_key, log_key = self._keys(stream)
        async with self._async_client().pipeline(transaction=True) as pipe:
            pipe.get(seq_key)
            pipe.xrange(log_key, min=f"{seq + 1}-0", max="+", count=self.size + 1)
            current, entries = await pipe.execute()
        current = int(current or 0)
        events = []
        for entry_id, fields in entries:
            entry = json.loads(fields[b"m"])
            entry["seq"] = int(entry_id.split(b"-")[0])
            events.append(entry)
        return _exact_or_none(events, seq, current), current


class MemoryBacklog:
    """The in-process backlog of the embedded site (one process, in-memory channel layer)."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._streams: dict[str, tuple[int, deque]] = {}

    def append(self, stream: str, entry: dict) -> int:
        with self._lock:
            seq, log = self._streams.get(stream, (0, None))
            if log is None:
                log = deque(maxlen=self.size)
            seq += 1
            log.append({**entry, "seq": seq})
            self._streams[stream] = (seq, log)
            return seq

    def current(self, streams: list[str]) -> dict[str, int]:
        with self._lock:
            return {s: self._streams.get(s, (0, None))[0] for s in streams}

    async def latest(self, stream: str) -> int:
        return self.current([stream])[stream]

    async def since(self, stream: str, seq: int) -> tuple[list[dict] | None, int]:
        with self._lock:
            current, log = self._streams.get(stream, (0, ()))
            events = [dict(e) for e in log if e["seq"] > seq]
        return _exact_or_none(events, seq, current), current

    def reset(self) -> None:
        with self._lock:
            self._streams.clear()


def _exact_or_none(events: list[dict], seq: int, current: int) -> list[dict] | None:
    """The events after `seq` if they are all there (seq+1 .. current, no holes); else None."""
    if current == seq:
        return []
    if current < seq:  # the counter went backwards: Redis lost its data, or the stream expired
        return None
    expected = list(range(seq + 1, current + 1))
    if [e["seq"] for e in events] != expected:
        return None
    return events


_backlog = None
_backlog_lock = threading.Lock()


def get_backlog():
    global _backlog
    if _backlog is None:
        with _backlog_lock:
            if _backlog is None:
                if settings.REDIS_URL:
                    _backlog = RedisBacklog(
                        settings.REDIS_URL,
                        settings.CHANNEL_PREFIX,
                        settings.LIVE_BACKLOG_SIZE,
                        settings.LIVE_BACKLOG_TTL,
                    )
                else:
                    _backlog = MemoryBacklog(settings.LIVE_BACKLOG_SIZE)
    return _backlog


def reset_backlog() -> None:
    """Forget the backlog object (tests that change REDIS_URL or the backlog size)."""
    global _backlog
    with _backlog_lock:
        _backlog = None

"""A Redis cache that degrades to a miss when Redis is unreachable instead of raising.

Django's RedisCache raises on connection errors, which would turn a Redis outage into error pages. The
cache only ever holds data the database can rebuild, so here a failed read is a miss, a failed write is
skipped, and the outage is logged once (community.redis_health).
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import redis_health

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every cache call, and each one builds its table of
    ~170 response callbacks: 7 cache calls cost a member's page ~1 ms before any reached Redis (cProfile).
    A `redis.Redis` is safe to share between threads (it takes a connection from the pool per command), so
    one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# ResilientRedisCache.take_many: KEYS[i] with ARGV wanted, limit, timeout (three per key).
_TAKE_SCRIPT = """
local taken = {}
for i, key in ipairs(KEYS) do
    local wanted = tonumber(ARGV[3 * i - 2])
    local limit = tonumber(ARGV[3 * i - 1])
    local used = tonumber(redis.call('GET', key) or '0')
    local take = math.max(0, math.min(wanted, limit - used))
    if take > 0 then
        redis.call('INCRBY', key, take)
        redis.call('EXPIRE', key, tonumber(ARGV[3 * i]))
    end
    taken[i] = take
end
return taken
"""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _guard(self, call, fallback):
        try:
            result = call()
        except OUTAGE_ERRORS as exc:
            redis_health.report_down("cache", exc)
            return fallback
        if redis_health.is_down():
            redis_health.report_up("cache")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._guard(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version=version), False
        )

    def get(self, key, default=None, version=None):
        return self._guard(
            lambda: super(ResilientRedisCache, self).get(key, default, version=version), default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._guard(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version=version), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version=version), False
        )

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version=version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version=version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version=version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version=version), missing
        )
        if result is missing:
            raise ValueError(f"Key {key!r} not found (cache unavailable).")
        return result

    def incr_many(self, deltas: dict[str, tuple[int, int]], version=None) -> dict[str, int]:
        """Add `delta` to each counter in {key: (delta, timeout)}, making missing ones (expiring after
        `timeout` seconds), in one round trip; returns the new values ({} when Redis is unreachable)."""
        if not deltas:
            return {}

        def call():
            made = {key: self.make_and_validate_key(key, version=version) for key in deltas}
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, (delta, timeout) in deltas.items():
                pipe.incrby(made[key], delta)
                pipe.expire(made[key], timeout)
            replies = pipe.execute()
            return {key: int(replies[2 * i]) for i, key in enumerate(deltas)}

        return self._guard(call, {})

    def take_many(self, asks: dict[str, tuple[int, int, int]], version=None) -> dict[str, int]:
        """Check and add in one step, in one round trip: for each counter in {key: (wanted, limit,
        timeout)}, add as much of `wanted` as keeps it at or below `limit` (a missing counter is 0 and
        expires after `timeout` seconds); returns how much each took ({} when Redis is unreachable).
        A Lua script, so no other client's check-and-add runs in between."""
        if not asks:
            return {}

        def call():
            made = [self.make_and_validate_key(key, version=version) for key in asks]
            args = [value for ask in asks.values() for value in ask]
            client = self._cache.get_client(write=True)
            replies = client.eval(_TAKE_SCRIPT, len(made), *made, *args)
            return {key: int(taken) for key, taken in zip(asks, replies, strict=True)}

        return self._guard(call, {})

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # On an outage nothing was stored: report every key as failed, as the cache API expects.
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version=version), list(data)
        )

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version=version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)

"""channels-redis's pub/sub layer, made quiet and observable across a Redis outage.

The stock RedisPubSubChannelLayer already re-subscribes when Redis comes back, but it logs a traceback every
second while Redis is down and tells no one that messages may have been lost meanwhile (pub/sub delivers at
most once). This subclass logs the outage once (community.redis_health) and, on reconnection, puts a
`live.resync` message into every local consumer's queue so each can catch its browsers up
(forum.live.consumers.LiveConsumer.live_resync).
"""

import asyncio
import logging

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from community import redis_health

log = logging.getLogger(__name__)

RESYNC_MESSAGE = {"type": "live.resync"}
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientShardConnection(RedisSingleShardConnection):
    async def _do_receiving(self):
        lost = False
        retry_delay = 0.1
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    # After a drop, this call reconnects and re-subscribes (redis-py's on_connect) first.
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    if lost:
                        lost, retry_delay = False, 0.1
                        redis_health.report_up("channel layer")
                        self._announce_resync()
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except OUTAGE_ERRORS as exc:
                if not lost:
                    lost = True
                    redis_health.report_down("channel layer", exc)
                await asyncio.sleep(retry_delay)
                retry_delay = min(retry_delay * 2, 2.0)
            except Exception:
                log.exception("Unexpected error in the channel layer's receive loop")
                await asyncio.sleep(1)

    def _announce_resync(self):
        """Tell every local consumer that follows a group that messages may have been missed."""
        loop_layer = self.channel_layer
        payload = loop_layer.channel_layer.serialize(RESYNC_MESSAGE)
        members = set()
        for channels in loop_layer.groups.values():
            members |= channels
        for name in members:
            queue = loop_layer.channels.get(name)
            if queue is not None:
                queue.put_nowait(payload)


class ResilientPubSubLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [ResilientShardConnection(shard.host, self) for shard in self._shards]


class ResilientRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            # Build our loop layer, then let the parent register it (and its close hook) for this loop.
            self._layers[loop] = ResilientPubSubLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            layer = self._layers[loop]
            _wrap_close(self, loop)
        return layer

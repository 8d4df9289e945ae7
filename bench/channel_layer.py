"""What one group_send costs on each channels-redis layer, with 1 and 100 channels in the group.

    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/channel_layer.py [--sends 300]

RedisChannelLayer keeps group membership in a sorted set and, per group_send, runs a Lua script that pushes
the message onto every member channel's list (work grows with the group). RedisPubSubChannelLayer sends one
PUBLISH per group_send, whatever the group's size; each server process fans out to its own sockets. Uses a
private prefix on the given Redis and removes its keys afterwards. Bounded: stops after --sends sends per case.
"""

import argparse
import asyncio
import os
import statistics
import time
import uuid

from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

MESSAGE = {
    "type": "stream.event",
    "stream": "question.1",
    "seq": 1,
    "event": "answer.new",
    "text": "x" * 2000,
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(layer, members: int, sends: int) -> tuple[float, float]:
    group = f"bench-{uuid.uuid4().hex[:8]}"
    channels = [await layer.new_channel() for _ in range(members)]
    for channel in channels:
        await layer.group_add(group, channel)
    for _ in range(20):  # warm up connections
        await layer.group_send(group, MESSAGE)
    timings = []
    for _ in range(sends):
        start = time.perf_counter()
        await layer.group_send(group, MESSAGE)
        timings.append((time.perf_counter() - start) * 1e6)
    for channel in channels:
        await layer.group_discard(group, channel)
    await layer.flush()
    return statistics.median(timings), percentile(timings, 99)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sends", type=int, default=300)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    layers = {
        # capacity above what a run sends, so no message is dropped as "channel full" mid-measurement
        "RedisChannelLayer": lambda: RedisChannelLayer(
            hosts=[url], prefix=prefix, capacity=10_000, expiry=60
        ),
        "RedisPubSubChannelLayer": lambda: RedisPubSubChannelLayer(hosts=[url], prefix=prefix),
    }
    print(f"group_send cost, {args.sends} sends per case, message ~2 KB, Redis {url.split('@')[-1]}")
    print(f"{'layer':<26}{'members':>8}{'median µs':>12}{'p99 µs':>10}")
    for name, make in layers.items():
        for members in (1, 100):
            median, p99 = await measure(make(), members, args.sends)
            print(f"{name:<26}{members:>8}{median:>12.0f}{p99:>10.0f}")


if __name__ == "__main__":
    asyncio.run(main())

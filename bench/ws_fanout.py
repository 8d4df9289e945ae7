"""Publish-to-receive latency of live events for 1, 100 and 1,000 connected WebSocket clients, spread over
two server processes (uvicorn, as in production) sharing one Redis (the production shape: RedisPubSubChannelLayer + Redis Streams
backlog).

    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/ws_fanout.py [--clients 1,100,1000] [--events 40]

For each client count: start clients (half on each server process), subscribe them all to one stream, then
publish --events events through the real path (sequence + backlog XADD, one group_send with the text encoded
once), one every --interval seconds, each carrying its publish time and a ~2 KB answer fragment. Every client
records receive time minus publish time. Localhost only; bounded (each case stops after its events, the
whole run after --deadline seconds) and it stops its server processes itself. Clients, servers and Redis
share this machine's cores, so the figures include their competition for CPU.
"""

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.live.servers import AppServer  # noqa: E402  (path set up above)

FRAGMENT = '<article class="answer" id="answer-1">' + "<p>A fixed bedtime helped me.</p>" * 55 + "</article>"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Client:
    def __init__(self, port: int, stream: str):
        self.port, self.stream = port, stream
        self.latencies: list[float] = []
        self.subscribed = asyncio.Event()
        self.socket = None
        self.task = None

    async def run(self) -> None:
        import websockets

        async with websockets.connect(
            f"ws://127.0.0.1:{self.port}/ws/live/", origin=f"http://127.0.0.1:{self.port}", max_queue=None
        ) as socket:
            self.socket = socket
            await socket.send(json.dumps({"subscribe": [self.stream]}))
            async for raw in socket:
                received = time.time()
                message = json.loads(raw)
                if "subscribed" in message:
                    self.subscribed.set()
                elif message.get("event") == "bench":
                    self.latencies.append((received - message["data"]["t"]) * 1000)


async def publish(layer, stream: str, i: int) -> None:
    from community.live import events
    from community.live.backlog import get_backlog

    sent_at = time.time()
    data = {"t": sent_at, "i": i}
    entry = {"stream": stream, "event": "bench", "data": data, "html": FRAGMENT}
    seq = await asyncio.to_thread(get_backlog().append, stream, entry)
    text = events.encode(stream, seq, "bench", data, FRAGMENT)
    await layer.group_send(events.group_name(stream), events.layer_message(stream, seq, "bench", text))


async def run_case(servers: list[AppServer], count: int, n_events: int, interval: float) -> dict:
    from channels.layers import get_channel_layer

    stream = f"feed.tag.bench-{uuid.uuid4().hex[:8]}"
    clients = [Client(servers[i % len(servers)].port, stream) for i in range(count)]
    for start in range(0, count, 100):  # connect in batches, as a crowd arrives
        batch = clients[start : start + 100]
        for client in batch:
            client.task = asyncio.create_task(client.run())
        await asyncio.wait_for(asyncio.gather(*(c.subscribed.wait() for c in batch)), 60)
    await asyncio.sleep(0.5)
    layer = get_channel_layer()
    for i in range(n_events):
        await publish(layer, stream, i)
        await asyncio.sleep(interval)
    await asyncio.sleep(max(2.0, interval * 4))  # let the last deliveries land
    for client in clients:
        client.task.cancel()
    await asyncio.gather(*(c.task for c in clients), return_exceptions=True)
    latencies = [value for client in clients for value in client.latencies]
    return {
        "clients": count,
        "expected": count * n_events,
        "received": len(latencies),
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p99": percentile(latencies, 99) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
    }


async def main(args) -> None:
    import django

    django.setup()
    redis_url = os.environ["REDIS_URL"]
    workdir = Path(tempfile.mkdtemp(prefix="ws-fanout-"))
    env = {
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": os.environ["CHANNEL_PREFIX"],
        # The benchmark's clients are anonymous and follow a feed: no query reaches this database.
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + uuid.uuid4().hex,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    servers = [AppServer(env), AppServer(env)]
    try:
        await asyncio.gather(*(asyncio.to_thread(s.start) for s in servers))
        print(
            f"publish-to-receive latency, {args.events} events per case, one every {args.interval * 1000:.0f} ms, "
            f"2 uvicorn processes, Redis {redis_url}, {os.cpu_count()} cores"
        )
        print(f"{'clients':>8}{'delivered':>14}{'median ms':>11}{'p99 ms':>9}{'max ms':>9}")
        for count in args.clients:
            result = await run_case(servers, count, args.events, args.interval)
            print(
                f"{result['clients']:>8}{result['received']:>8}/{result['expected']:<6}"
                f"{result['median']:>10.1f}{result['p99']:>9.1f}{result['max']:>9.1f}",
                flush=True,
            )
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", default="1,100,1000", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between events")
    parser.add_argument("--deadline", type=float, default=300, help="stop the whole run after this long")
    arguments = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL (the benchmark measures the Redis layer).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    os.environ.setdefault("CHANNEL_PREFIX", f"bench{uuid.uuid4().hex[:6]}")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))  # 1,000 sockets need more than 1,024
    asyncio.run(asyncio.wait_for(main(arguments), arguments.deadline))

"""WebSockets: memory per idle socket and fan-out (bench/ws_fanout.py)."""

import asyncio
import uuid

from bench.common import log
from bench.servers import rss_kb


async def idle_socket_memory(servers: list, count: int) -> dict:
    from bench.ws_fanout import Client

    pids = [server.process.pid for server in servers]
    stream = f"feed.tag.idle-{uuid.uuid4().hex[:8]}"
    # Warm the WebSocket code paths (imports, consumer classes) so the baseline includes them.
    warm = [Client(servers[i % len(servers)].port, stream) for i in range(2 * len(servers))]
    for client in warm:
        client.task = asyncio.create_task(client.run())
    await asyncio.wait_for(asyncio.gather(*(c.subscribed.wait() for c in warm)), 60)
    for client in warm:
        client.task.cancel()
    await asyncio.gather(*(c.task for c in warm), return_exceptions=True)
    await asyncio.sleep(1)
    before = rss_kb(pids)
    clients = [Client(servers[i % len(servers)].port, stream) for i in range(count)]
    for start in range(0, count, 100):
        batch = clients[start : start + 100]
        for client in batch:
            client.task = asyncio.create_task(client.run())
        await asyncio.wait_for(asyncio.gather(*(c.subscribed.wait() for c in batch)), 60)
    await asyncio.sleep(3)
    after = rss_kb(pids)
    for client in clients:
        client.task.cancel()
    await asyncio.gather(*(c.task for c in clients), return_exceptions=True)
    return {
        "sockets": count,
        "before_kb": before,
        "after_kb": after,
        "per_socket_kb": (after - before) / count,
    }


async def measure_live(args, servers: list) -> dict:
    from bench.ws_fanout import run_case

    results = {"ws": []}
    if args.idle_sockets:
        # First: after the fan-out cases the processes keep freed memory, which idle sockets then reuse.
        log("  memory per idle WebSocket")
        results["memory"] = await idle_socket_memory(servers, args.idle_sockets)
    if args.ws_clients:
        log("  WebSocket fan-out")
        for count in args.ws_clients:
            results["ws"].append(await run_case(servers, count, args.ws_events, 0.25))
            log(f"    {results['ws'][-1]}")
    return results

"""Pages over HTTP: server time from sequential requests, requests/s from the load generator
(bench/load.py, a process of its own), deep pagination."""

import asyncio
import json
import re
import statistics
import subprocess
import sys

from bench.common import BASE_DIR, log, percentile
from bench.environment import captured_sql, count_queries, explain


async def sequential_server_times(ports: list[int], path: str, cookie: str, samples: int) -> dict:
    from bench.load import Connection, server_ms

    headers = {"Cookie": cookie} if cookie else {}
    connections = [Connection(port) for port in ports]
    times, outcomes = [], {}
    try:
        for i in range(samples + 2):
            status, response_headers, _ = await connections[i % len(connections)].request(
                "GET", path, headers
            )
            if status != 200:
                raise RuntimeError(f"{path}: status {status}")
            match = re.search(r"page-cache;desc=(\w+)", response_headers.get("server-timing", ""))
            outcome = match.group(1) if match else "none"
            if i >= 2:  # the first request of each process warms its connections and template caches
                times.append(server_ms(response_headers))
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        for connection in connections:
            await connection.close()
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 95),
        "outcomes": outcomes,
        "times": times,
    }


def run_load(ports: list[int], *extra: str, timeout: float = 120) -> dict:
    command = [sys.executable, "-m", "bench.load", *extra, "--ports", ",".join(map(str, ports))]
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.load failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


async def measure_pages(args, pages: dict, servers: list, sessions: dict) -> list[dict]:
    """Each page, as a visitor and as a member: its SQL queries, server time and requests/s."""
    ports = [server.port for server in servers]
    rows = []
    for name, path in pages["paths"].items():
        for role in ("anonymous", "member"):
            key = sessions.get(role)
            cookie = f"sessionid={key}" if key else ""
            log(f"  {name} as {role}")
            queries = await asyncio.to_thread(count_queries, path, key)
            times = await sequential_server_times(ports, path, cookie, args.samples)
            load = run_load(
                ports,
                "get",
                "--path",
                path,
                "--cookie",
                cookie,
                "--concurrency",
                str(args.concurrency),
                "--duration",
                str(args.load_seconds),
                "--max-requests",
                str(args.max_requests),
            )
            rows.append({"page": name, "role": role, "queries": queries, "times": times, "load": load})

    return rows


async def measure_pagination(ports: list[int], pages: dict, sessions: dict, samples: int) -> dict:
    log("  deep pagination")
    first, deep = "/", f"/?before={pages['deep_cursor']}"
    rows = {}
    for role in ("anonymous", "member"):
        key = sessions.get(role)
        cookie = f"sessionid={key}" if key else ""
        a = await sequential_server_times(ports, first, cookie, samples)
        b = await sequential_server_times(ports, deep, cookie, samples)
        rows[role] = {"first": a["median"], "deep": b["median"]}
    plan = await asyncio.to_thread(lambda: explain(captured_sql(deep, "ORDER BY")))
    return {"deep_page": pages["deep_page"], "approved": pages["approved"], "rows": rows, "explain": plan}

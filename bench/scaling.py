"""How the web tier grows from 1 to 2 processes (README "Deployment"): page rate and WebSockets held.

    .venv/bin/python -m bench.scaling            (scale data set in hc_bench, Redis db 12, as make bench)
    .venv/bin/python -m bench.scaling --quick    (short loads and few sockets, to check the harness)

For 1 and then 2 uvicorn processes (fresh each time, production settings as in bench/run.py):

- requests/s of a question page (5 answers) for a visitor and for a logged-in member, with --concurrency
  keep-alive connections spread over the processes (bench/load.py, a process of its own);
- WebSockets held: sockets are opened in steps (--socket-steps), spread over the processes, all following
  one stream; at each step --events live events go through the real publish path and every socket times
  each delivery. The tier "holds" a step when every event reached every socket and the 99th percentile of
  publish-to-receive stayed within --latency-budget ms. The table gives the largest step held.

Client, servers, PostgreSQL and Redis share this machine's cores, so the figures include their competition.
"""

import argparse
import asyncio
import os
import resource
import sys

from bench.common import log
from bench.environment import (
    add_data_set_arguments,
    find_pages,
    prepare_environment,
    session_for,
    setup_django,
)
from bench.pages import run_load
from bench.servers import rss_kb, start_servers


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_data_set_arguments(parser)
    parser.add_argument("--processes", default="1,2", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument(
        "--socket-steps",
        default="1000,2000,4000,8000,12000,16000",
        type=lambda s: [int(x) for x in s.split(",")],
    )
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--latency-budget", type=float, default=1000, help="ms, p99 publish-to-receive")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.load_seconds, args.socket_steps, args.events = 2, [100, 200], 3
    return args


def page_rate(ports: list[int], path: str, cookie: str, args) -> float:
    result = run_load(
        ports, "get", "--path", path, "--cookie", cookie, "--concurrency", str(args.concurrency),
        "--duration", str(args.load_seconds), "--max-requests", "1000000",
    )  # fmt: skip
    return result["per_second"]


async def sockets_held(servers: list, args) -> dict:
    """The largest step of sockets whose every delivery arrived within the budget."""
    from bench.ws_fanout import run_case

    held, steps = 0, []
    for count in args.socket_steps:
        try:
            case = await asyncio.wait_for(run_case(servers, count, args.events, 0.25), 300)
        except (TimeoutError, OSError) as error:  # connections refused or too slow to open: not held
            log(f"    {count} sockets: {type(error).__name__}")
            steps.append({"clients": count, "error": type(error).__name__})
            break
        case["rss_kb"] = rss_kb([server.process.pid for server in servers])
        steps.append(case)
        log(f"    {case}")
        if case["received"] < case["expected"] or case["p99"] > args.latency_budget:
            break
        held = count
    return {"held": held, "steps": steps}


def main() -> None:
    args = parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    env = prepare_environment(args)
    setup_django()
    pages = find_pages()
    path = pages["paths"]["question (5 answers)"]
    cookie = f"sessionid={session_for(pages['member'])}"
    rows = []
    for count in args.processes:
        log(f"{count} web process(es)")
        servers = start_servers(env, count, "uvicorn")
        try:
            ports = [server.port for server in servers]
            page_rate(ports, path, "", argparse.Namespace(**{**vars(args), "load_seconds": 2}))  # warm
            visitor = page_rate(ports, path, "", args)
            member = page_rate(ports, path, cookie, args)
            log(f"  pages/s: visitor {visitor:.0f}, member {member:.0f}")
            sockets = asyncio.run(sockets_held(servers, args))
        finally:
            for server in servers:
                server.stop()
        rows.append({"processes": count, "visitor": visitor, "member": member, **sockets})
    print(report(rows, args, path))


def report(rows: list[dict], args, path: str) -> str:
    lines = [
        f"Web tier, 1 → {rows[-1]['processes']} uvicorn processes, {os.cpu_count()} cores "
        f"(question page {path}, {args.concurrency} connections, {args.load_seconds:g} s each; "
        f"sockets held: all {args.events} events delivered, p99 ≤ {args.latency_budget:g} ms)",
        "",
        "| processes | visitor pages/s | member pages/s | sockets held | p99 at that step (ms) | RSS of the tier (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        step = next((s for s in row["steps"] if s.get("clients") == row["held"]), {})
        lines.append(
            f"| {row['processes']} | {row['visitor']:.0f} | {row['member']:.0f} | {row['held']:,} | "
            f"{step.get('p99', float('nan')):.0f} | {step.get('rss_kb', 0) / 1024:.0f} |"
        )
    first, last = rows[0], rows[-1]
    if len(rows) > 1 and first["visitor"] and first["member"]:
        held = f"{last['held'] / first['held']:.2f}x" if first["held"] else "n/a"
        lines += [
            "",
            f"Growth: visitor {last['visitor'] / first['visitor']:.2f}x, member {last['member'] / first['member']:.2f}x, "
            f"sockets held {held}.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

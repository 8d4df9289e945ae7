"""The benchmark: the production server on scale data, measured page by page, for a visitor and a member.

    .venv/bin/python -m bench.run            (or: make bench)
    .venv/bin/python -m bench.run --quick    (a short run, to check the harness)

Needs the scale data set (`manage.py generate_scale_data --scale 1` into BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/hc_bench) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/12,
a database of its own: the run flushes it). It starts --servers processes of the production server (uvicorn;
`--server daphne` for comparison; DEBUG=0, a fresh
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, settings bench.settings = community.settings with the vote
rate limit raised) and measures:

- SQL queries per request, in this process (Django test client + CaptureQueriesContext, same database);
- server time (the Server-Timing header: application time, without network and HTTP server) median and
  p95 over --samples sequential requests;
- requests/s with --concurrency keep-alive connections from a separate process (bench/load.py);
- deep pagination (the home list's page 1 against its deepest page), search (p95, EXPLAIN), WebSocket
  fan-out (bench/ws_fanout.py), memory per idle WebSocket, and votes/s with 50 members voting at once.

Everything talks to 127.0.0.1 only, every loop is bounded, and the servers are stopped at the end. The
table is printed and written to bench/RESULTS.md between the "generated" markers (notes around them stay).

The parts, one module each: environment (settings, data, sessions), servers, pages, search (and the large
data set), live (WebSockets), votes, machine, report (tables and targets); this module runs them in order.
"""

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import log
from bench.environment import (
    add_data_set_arguments,
    find_pages,
    prepare_environment,
    session_for,
    setup_django,
)
from bench.hot import measure_hot_question
from bench.live import measure_live
from bench.machine import machine
from bench.pages import measure_pages, measure_pagination
from bench.report import RESULTS, build_report, evaluate_targets, hot_section, search_rows, write_results
from bench.search import large_only, measure_large, measure_search, search_only
from bench.servers import start_servers
from bench.votes import measure_votes, prepare_voters


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_data_set_arguments(parser)
    parser.add_argument(
        "--large-database-url",
        default=os.environ.get("BENCH_LARGE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hc_bench_1m"),
        help="the scale-10 data set, for search and page 10,000 ('' to skip)",
    )
    parser.add_argument("--large-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--server", choices=["uvicorn", "daphne"], default="uvicorn", help="uvicorn: production"
    )
    parser.add_argument("--samples", type=int, default=300, help="sequential requests per page and visitor")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=5)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument(
        "--ws-clients", default="1,100,1000", type=lambda s: [int(x) for x in s.split(",") if x]
    )
    parser.add_argument("--ws-events", type=int, default=40)
    parser.add_argument("--idle-sockets", type=int, default=1000)
    parser.add_argument("--voters", type=int, default=50)
    parser.add_argument("--vote-seconds", type=float, default=10)
    parser.add_argument(
        "--hot-seconds", type=float, default=20, help="each phase of the hot question (idle, under writes)"
    )
    parser.add_argument(
        "--hot-only", action="store_true", help="only the hot question (prints it; RESULTS.md left alone)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="few samples and short loads, to check the harness"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument(
        "--pages-only", action="store_true", help="skip WebSockets and votes (while tuning pages)"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="measure search alone (words, then with filters and sorts) and print its table; writes nothing",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.samples, args.load_seconds, args.ws_events, args.vote_seconds = 30, 2, 10, 3
        args.hot_seconds = 6
        args.ws_clients, args.idle_sockets = [1, 100], 200
    return args


async def measure_http(args, pages: dict, servers: list, sessions: dict) -> dict:
    ports = [server.port for server in servers]
    return {
        "pages": await measure_pages(args, pages, servers, sessions),
        "pagination": await measure_pagination(ports, pages, sessions, args.samples),
        "search": await measure_search(ports, args.samples),
    }


def data_set(pages: dict) -> dict:
    """The size of the data set measured."""
    from accounts.models import ExpertCredential, User
    from forum.models import Answer, Question, Vote

    return {
        "questions": Question.objects.count(),
        "approved": pages["approved"],
        "answers": Answer.objects.count(),
        "votes": Vote.objects.count(),
        "members": User.objects.count(),
        "experts": ExpertCredential.objects.count(),
    }


def measure_on_servers(args, env: dict, pages: dict, sessions: dict, workdir: Path) -> dict:
    """Pages, WebSockets and votes on --servers fresh server processes, stopped at the end."""
    log(f"Starting {args.servers} {args.server} processes")
    servers = start_servers(env, args.servers, args.server)
    try:
        if args.hot_only:
            return {"hot": asyncio.run(measure_hot_question(args, pages, servers, sessions, workdir))}
        results = asyncio.run(measure_http(args, pages, servers, sessions))
        results["hot"] = asyncio.run(measure_hot_question(args, pages, servers, sessions, workdir))
        if args.pages_only:
            args.ws_clients, args.idle_sockets = [], 0
        results.update(asyncio.run(asyncio.wait_for(measure_live(args, servers), 900)))
        voters_file, answer_ids = prepare_voters(pages, args.voters, workdir)
        results["votes"] = {}
        for mode in ("socket-vote", "vote"):  # the live socket (the buttons' way when open), then the form
            log(f"  votes: {mode}")
            results["votes"][mode] = measure_votes(args, servers, mode, voters_file, answer_ids)
    finally:
        for server in servers:
            server.stop()
    return results


def publish(results: dict, args, workdir: Path) -> None:
    """Judge the targets, print the report, keep the raw results and write bench/RESULTS.md."""
    results["targets"] = evaluate_targets(results)
    report = build_report(results)
    print(report)
    (workdir / "results.json").write_text(json.dumps(results, default=str, indent=1))
    log(f"Raw results: {workdir / 'results.json'}")
    if not args.no_write:
        write_results(report)
        log(f"Written to {RESULTS}")


def main() -> None:
    args = parse_args()
    if args.large_only:
        large_only(args)
        return
    if args.search_only:
        results = search_only(args)
        print(f"{results['questions']:,} questions")
        print("\n".join(search_rows(results["search"])))
        return
    command = (
        "make bench"
        if os.environ.get("MAKELEVEL")
        else " ".join([".venv/bin/python -m bench.run", *sys.argv[1:]])
    )

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))  # 1,000 sockets need more than 1,024
    started_at, started = datetime.now(UTC), time.perf_counter()
    load_before = os.getloadavg()[0]
    env = prepare_environment(args)
    log("Preparing: static files, sessions, pages")
    setup_django()
    pages = find_pages()
    data = data_set(pages)
    sessions = {"anonymous": None, "member": session_for(pages["member"])}
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    results = measure_on_servers(args, env, pages, sessions, workdir)
    if args.hot_only:
        print("\n".join(hot_section(results)))
        (workdir / "results.json").write_text(json.dumps(results, default=str, indent=1))
        log(f"Raw results: {workdir / 'results.json'}")
        return
    if args.large_database_url and not args.pages_only:
        log("Large data set: search and page 10,000")
        results["large"] = measure_large(args)
    results.update(
        {
            "machine": machine(),
            "data": data,
            "paths": pages["paths"],
            "servers": args.servers,
            "server": args.server,
            "samples": args.samples,
            "concurrency": args.concurrency,
            "load_seconds": args.load_seconds,
            "started": started_at.strftime("%Y-%m-%d %H:%M"),
            "seconds": time.perf_counter() - started,
            "command": command,
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
        }
    )
    publish(results, args, workdir)


if __name__ == "__main__":
    main()

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
"""

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "RESULTS.md"
START_MARK, END_MARK = "<!-- bench:generated:start -->", "<!-- bench:generated:end -->"
SEARCH_TERMS = ["sleep", "back pain", "anxiety", "vitamin d", "knee pain exercise", "thyroid fatigue"]

sys.path.insert(0, str(BASE_DIR))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


# --- Environment and data ------------------------------------------------------------------------------------


def prepare_environment(args) -> dict:
    run_id = uuid.uuid4().hex[:8]
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain http on localhost; everything else as in production
        "STATIC_ROOT": str(static_root),
        "CHANNEL_PREFIX": f"bench{run_id}",
        "CACHE_KEY_PREFIX": f"bench{run_id}",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def setup_django() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)  # a data set generated before new indexes gets them
    call_command("collectstatic", "--no-input", verbosity=0)
    cache.clear()  # the benchmark's own Redis database


def session_for(user) -> str:
    """A logged-in session for `user`, as the login view would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def find_pages(deep_page: int | None = None) -> dict:
    """The pages to measure, found in the data: the biggest category and tag, a question with 5 answers,
    the question with the most answers, and page `deep_page` of the home list (default: its deepest
    full page)."""
    from django.db.models import Count
    from taggit.models import Tag

    from accounts.models import ExpertCredential, User
    from forum.models import Category, Question
    from forum.selectors import _encode_cursor

    public = Question.objects.approved()
    category = Category.objects.annotate(n=Count("questions")).order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("forum_taggedquestion_items")).order_by("-n").first()
    big = public.order_by("-answer_count", "pk").first()
    five = public.filter(answer_count=5).exclude(tags=None).order_by("-pk").first()
    approved = public.count()
    page_size = 20
    deepest = min(deep_page or approved // page_size, approved // page_size)  # a full page
    # The cursor of the last row of the page before (found once with OFFSET; pages use keysets).
    before = public.order_by("-approved_at", "-pk")[(deepest - 1) * page_size - 1]
    experts = ExpertCredential.objects.values("user_id")
    members = User.objects.filter(is_superuser=False, is_staff=False).exclude(pk__in=experts)
    # A reader of the measured pages: an established member (reputation over 100) who asked none of them
    # and wrote none of their answers (authors see edit links and get their page rendered for them).
    from forum.models import Answer

    writers = Answer.objects.filter(question__in=[big, five]).values("author_id")
    member = (
        members.filter(reputation__gt=100)
        .exclude(pk__in=writers)
        .exclude(pk__in=[big.author_id, five.author_id])
        .order_by("pk")
        .first()
    )
    return {
        "approved": approved,
        "category": category,
        "tag": tag,
        "big": big,
        "five": five,
        "member": member,
        "members": members,
        "deep_page": deepest,
        "deep_cursor": _encode_cursor(before),
        "paths": {
            "home": "/",
            "category": category.get_absolute_url(),
            "tag": f"/tags/{tag.slug}/",
            "search": "/search/?q=sleep",
            "question (5 answers)": five.get_absolute_url(),
            f"question ({big.answer_count} answers)": big.get_absolute_url(),
        },
    }


def count_queries(path: str, session_key: str | None) -> tuple[int, int]:
    """Queries of a rendered page, and of a page as served: for a visitor, the whole-page cache (the
    render is measured with it switched off, the cached public parts warm, as on a page-cache miss)."""
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies["sessionid"] = session_key

    def measure() -> int:
        client.get(path)  # warm: the cached public parts, per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(captured)

    with mock.patch("forum.page_cache._cacheable", return_value=False):
        rendered = measure()
    return rendered, measure()


def captured_sql(path: str, needle: str) -> str:
    """The SQL of the first query on `path` that contains `needle` (for EXPLAIN), from a rendered page."""
    return captured_sqls(path, needle)[0]


def captured_sqls(path: str, needle: str) -> list[str]:
    """The SQL of every query on `path` that contains `needle`, in order, from a rendered page."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
        Client(HTTP_HOST="127.0.0.1").get(path)
    found = [query["sql"] for query in captured.captured_queries if needle in query["sql"]]
    if not found:
        raise LookupError(f"no query with {needle!r} on {path}")
    return found


def explain_all(sqls: list[str]) -> list[str]:
    lines = []
    for n, sql in enumerate(sqls, 1):
        lines += ([""] if lines else []) + [f"-- query {n} of {len(sqls)}"] + explain(sql)
    return lines


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


# --- Servers -------------------------------------------------------------------------------------------------


def start_servers(env: dict, count: int, kind: str) -> list:
    from tests.live.servers import AppServer

    servers = [AppServer(env, server=kind) for _ in range(count)]
    for server in servers:
        server.start()
    return servers


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


# --- Measurements over HTTP ----------------------------------------------------------------------------------


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


def prepare_voters(pages: dict, count: int, workdir: Path) -> tuple[Path, list[int]]:
    """50 members (none of them an author of the target answers), each with a session and a CSRF
    cookie, and the few answers they all vote on."""
    from django.middleware.csrf import _get_new_csrf_string

    from forum.models import Answer

    answers = list(
        Answer.objects.filter(question=pages["five"], status="approved")
        .order_by("pk")
        .values("pk", "author_id")
    )[:3]
    authors = {a["author_id"] for a in answers} | {pages["five"].author_id}
    voters = list(pages["members"].exclude(pk__in=authors).filter(is_active=True).order_by("-pk")[:count])
    plan = {"answers": [a["pk"] for a in answers], "voters": []}
    for user in voters:
        csrf = _get_new_csrf_string()
        plan["voters"].append({"cookie": f"sessionid={session_for(user)}; csrftoken={csrf}", "csrf": csrf})
    path = workdir / "voters.json"
    path.write_text(json.dumps(plan))
    return path, plan["answers"]


def measure_votes(args, servers, mode: str, voters_file: Path, answer_ids: list[int]) -> dict:
    """50 members vote at once for --vote-seconds; then each answer's stored score is compared with the sum
    of its vote rows, and every voter's last vote (as the server answered it) with its row."""
    from django.contrib.sessions.models import Session

    from forum.models import Vote

    load = run_load(
        [s.port for s in servers],
        mode,
        "--voters",
        str(voters_file),
        "--duration",
        str(1 if args.pages_only else args.vote_seconds),
        "--per-voter",
        "100000",
        timeout=args.vote_seconds + 60,
    )
    plan = json.loads(voters_file.read_text())
    rows_match = True
    for index, voter in enumerate(plan["voters"]):
        session_key = voter["cookie"].split("sessionid=")[1].split(";")[0]
        user_id = int(Session.objects.get(pk=session_key).get_decoded()["_auth_user_id"])
        for answer in answer_ids:
            expected = load["last_votes"].get(f"{index}:{answer}")
            if expected is None:
                continue
            value = (
                Vote.objects.filter(voter_id=user_id, answer_id=answer)
                .values_list("value", flat=True)
                .first()
            )
            rows_match &= (value or 0) == expected
    load.pop("last_votes", None)
    return {
        "voters": len(plan["voters"]),
        "answers": answer_ids,
        "load": load,
        "check": check_scores(answer_ids),
        "rows_match": rows_match,
    }


def check_scores(answer_ids: list[int]) -> list[dict]:
    from django.db.models import Sum

    from forum.models import Answer, Vote

    rows = []
    for pk in answer_ids:
        stored = Answer.objects.values_list("score", flat=True).get(pk=pk)
        summed = Vote.objects.filter(answer_id=pk).aggregate(s=Sum("value"))["s"] or 0
        rows.append({"answer": pk, "score": stored, "sum_of_votes": summed, "exact": stored == summed})
    return rows


# --- Machine -------------------------------------------------------------------------------------------------


def machine() -> dict:
    import django
    from django.core.cache import cache
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = int(
        next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        ).split()[1]
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis_version = cache._cache.get_client().info("server")["redis_version"]
    import uvicorn

    return {
        "nproc": os.cpu_count(),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "uvicorn": uvicorn.__version__,
        "kernel": platform.release(),
    }


# --- Report --------------------------------------------------------------------------------------------------


def ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def mark(ok: bool | None) -> str:
    return "-" if ok is None else ("✅" if ok else "❌")


def build_report(r: dict) -> str:
    out = []
    m = r["machine"]
    out.append(f"Run {r['started']} UTC, {r['seconds']:.0f} s. Command: `{r['command']}`")
    out.append("")
    out.append(
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} memory, kernel {m['kernel']}; Python {m['python']}, "
        f"Django {m['django']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}, uvicorn {m['uvicorn']}. "
        f"Load average (1 min) before the run: {r['load_before']:.2f}, after: {r['load_after']:.2f}."
    )
    d = r["data"]
    out.append(
        f"Data: {d['questions']:,} questions ({d['approved']:,} approved), {d['answers']:,} answers, {d['votes']:,} votes, "
        f"{d['members']:,} members, {d['experts']} experts. Server: {r['servers']} {r['server']} processes, DEBUG=0, "
        f"PostgreSQL and Redis on this machine. Server time = the Server-Timing header (application time only); "
        f"{r['samples']} sequential requests per row; req/s = {r['concurrency']} keep-alive connections from a separate "
        f"process for up to {r['load_seconds']:.0f} s."
    )
    out.append("")
    out.append("### Pages")
    out.append("")
    out.append("| page | visitor | SQL queries | server median ms | server p95 ms | req/s | page cache |")
    out.append("|---|---|---:|---:|---:|---:|---|")
    for row in r["pages"]:
        queries = (
            f"{row['queries'][1]} (render: {row['queries'][0]})"
            if row["role"] == "anonymous"
            else str(row["queries"][1])
        )
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(row["times"]["outcomes"].items()))
        out.append(
            f"| {row['page']} | {row['role']} | {queries} | {ms(row['times']['median'])} | {ms(row['times']['p95'])} "
            f"| {row['load']['per_second']:.0f} | {outcomes} |"
        )
    out.append("")
    out.append(
        "Visitor rows: the second request of a page comes from the page cache (its render, on a miss, needs the "
        "queries in brackets). Member rows: never cached."
    )
    large = r.get("large")
    out.append("")
    out.append("### Deep pagination (home list, keyset cursor)")
    out.append("")
    out.append(
        "Page 10,000 needs 200,000 approved questions: it is measured on the large data set (scale 10); on the "
        "scale-1 set its deepest full page is."
    )
    out.append("")
    out.append("| data set | visitor | page 1 median ms | deep page | deep page median ms | ratio |")
    out.append("|---|---|---:|---:|---:|---:|")
    for label, p in (("100k", r["pagination"]), ("1M", large and large["pagination"])):
        if not p:
            continue
        for role, row in p["rows"].items():
            out.append(
                f"| {p['approved']:,} approved ({label}) | {role} | {ms(row['first'])} | {p['deep_page']:,} | "
                f"{ms(row['deep'])} | {row['deep'] / row['first']:.2f} |"
            )
    p = large["pagination"] if large else r["pagination"]
    out.append("")
    out.append(
        f"Plan of page {p['deep_page']:,}'s list query ({p['approved']:,} approved questions, `EXPLAIN ANALYZE`):"
    )
    out.append("")
    out.append("```")
    out.extend(p["explain"])
    out.append("```")
    s = r["search"]
    ls = large["search"] if large else None
    out.append("")
    out.append("### Search")
    out.append("")
    if ls:
        out.append(
            f"| query | {r['pagination']['approved']:,} approved: median ms | p95 ms | "
            f"{large['pagination']['approved']:,} approved: median ms | p95 ms |"
        )
        out.append("|---|---:|---:|---:|---:|")
        for term, row in s["terms"].items():
            big = ls["terms"][term]
            out.append(
                f"| {term} | {ms(row['median'])} | {ms(row['p95'])} | {ms(big['median'])} | {ms(big['p95'])} |"
            )
        out.append(
            f"| **all** | {ms(s['median'])} | **{ms(s['p95'])}** | {ms(ls['median'])} | **{ms(ls['p95'])}** |"
        )
    else:
        out.append("| query | server median ms | server p95 ms |")
        out.append("|---|---:|---:|")
        for term, row in s["terms"].items():
            out.append(f"| {term} | {ms(row['median'])} | {ms(row['p95'])} |")
        out.append(f"| **all** | {ms(s['median'])} | **{ms(s['p95'])}** |")
    for label, plan in (("100k", s["explain"]), ("1M", ls and ls["explain"])):
        if not plan:
            continue
        out.append("")
        out.append(f"Plan of the search query for “sleep” ({label}, `EXPLAIN ANALYZE`):")
        out.append("")
        out.append("```")
        out.extend(plan)
        out.append("```")
    if r.get("ws"):
        out.append("")
        out.append(f"### WebSocket fan-out ({r['servers']} {r['server']} processes, Redis pub/sub layer)")
        out.append("")
        out.append("| clients | delivered/expected | ratio | median ms | p99 ms | max ms |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for row in r["ws"]:
            ratio = row["received"] / row["expected"] if row["expected"] else float("nan")
            out.append(
                f"| {row['clients']:,} | {row['received']:,}/{row['expected']:,} | {ratio:.3f} | {ms(row['median'])} "
                f"| {ms(row['p99'])} | {ms(row['max'])} |"
            )
    if r.get("memory"):
        mem = r["memory"]
        out.append("")
        out.append(
            f"Memory per idle WebSocket: {mem['per_socket_kb']:.1f} KiB (RSS of the {r['servers']} server processes "
            f"{mem['before_kb'] / 1024:.1f} MiB before, {mem['after_kb'] / 1024:.1f} MiB with {mem['sockets']:,} idle "
            f"subscribed sockets)."
        )
    out.append("")
    out.append("### Votes")
    out.append("")
    out.append(
        f"{r['votes']['vote']['voters']} members vote at once, each switching their votes on the same "
        f"{len(r['votes']['vote']['answers'])} answers (up, then down, ...: every vote changes a row), as fast as "
        "the server answers. *Live socket*: the page's vote buttons when its socket is open (one WebSocket per "
        "member; the server writes the votes that arrive together in one transaction, forum/vote_queue.py). "
        "*Form*: htmx POSTs to the vote endpoint, the buttons' way without a socket (one transaction per vote)."
    )
    out.append("")
    out.append(
        "| path | votes/s | votes | seconds | errors | median ms | p95 ms | scores = sum of vote rows | last votes = rows |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for mode, label, timing in (
        ("socket-vote", "live socket", "round_trip"),
        ("vote", "form (htmx POST)", "server"),
    ):
        v = r["votes"][mode]
        load = v["load"]
        exact = ", ".join(f"{c['score']} = {c['sum_of_votes']} {mark(c['exact'])}" for c in v["check"])
        out.append(
            f"| {label} | **{load['per_second']:.0f}** | {load['requests']:,} | {load['seconds']:.1f} | {load['errors']} | "
            f"{ms(load.get(timing + '_median_ms'))} | {ms(load.get(timing + '_p95_ms'))} | {exact} | {mark(v['rows_match'])} |"
        )
    out.append("")
    out.append(
        "Times: the live socket's are round trips seen by the voter (send to committed answer); the form's are "
        "the server's application time (Server-Timing)."
    )
    out.append("")
    out.append("### Targets")
    out.append("")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for target, measured, ok in r["targets"]:
        out.append(f"| {target} | {measured} | {mark(ok)} |")
    return "\n".join(out)


def evaluate_targets(r: dict) -> list:
    rows = {(row["page"], row["role"]): row for row in r["pages"]}
    big_name = next(name for name in r["paths"] if name.startswith("question (") and "5 answers" not in name)
    targets = []
    for role in ("anonymous", "member"):
        five, big = rows[("question (5 answers)", role)], rows[(big_name, role)]
        q5, qbig = five["queries"][0], big["queries"][0]  # the render's queries (a visitor's miss)
        targets.append(
            (
                f"{big_name}, {role}: same SQL queries as 5 answers, ≤ 8",
                f"{qbig} vs {q5}",
                qbig == q5 and qbig <= 8,
            )
        )
        m5, mbig = five["times"]["median"], big["times"]["median"]
        targets.append((f"{big_name}, {role}: median ≤ 25 ms", f"{mbig:.1f} ms", mbig <= 25))
        targets.append(
            (f"{big_name}, {role}: ≤ 2.5x the 5-answer page", f"{mbig / m5:.2f}x", mbig <= 2.5 * m5)
        )
        targets.append((f"question (5 answers), {role}: median ≤ 10 ms", f"{m5:.1f} ms", m5 <= 10))
        for page in ("home", "category", "tag"):
            median = rows[(page, role)]["times"]["median"]
            targets.append((f"{page}, {role}: median ≤ 10 ms", f"{median:.1f} ms", median <= 10))
    large = r.get("large")
    pagination = large["pagination"] if large else r["pagination"]
    for role, row in pagination["rows"].items():
        ratio = row["deep"] / row["first"]
        targets.append(
            (f"page {pagination['deep_page']:,} within 1.5x of page 1, {role}", f"{ratio:.2f}x", ratio <= 1.5)
        )
    plans = [r["search"]["explain"]] + ([large["search"]["explain"]] if large else [])
    uses_gin = all(any("question_search_gin" in line for line in plan) for plan in plans)
    targets.append(("search uses the GIN index", "yes" if uses_gin else "no", uses_gin))
    if large:
        ratio = large["search"]["p95"] / r["search"]["p95"]
        targets.append(
            (
                f"search p95 at {large['questions']:,} questions within 3x of 100,000",
                f"{large['search']['p95']:.1f} / {r['search']['p95']:.1f} ms = {ratio:.2f}x",
                ratio <= 3,
            )
        )
    else:
        targets.append(
            ("search p95 at 1,000,000 within 3x of 100,000", "not measured (no large data set)", None)
        )
    for row in r.get("ws") or []:
        if row["clients"] == 1000:
            ratio = row["received"] / row["expected"]
            targets.append(
                (
                    "1,000 sockets: delivered/expected = 1.000",
                    f"{ratio:.3f}",
                    row["received"] == row["expected"],
                )
            )
            targets.append(("1,000 sockets: p99 ≤ 250 ms", f"{row['p99']:.1f} ms", row["p99"] <= 250))
    live, form = r["votes"]["socket-vote"], r["votes"]["vote"]
    rate = live["load"]["per_second"]
    targets.append(
        (
            "votes ≥ 1,500/s (live socket)",
            f"{rate:.0f}/s (form: {form['load']['per_second']:.0f}/s)",
            rate >= 1500,
        )
    )
    exact = (
        all(c["exact"] for v in (live, form) for c in v["check"])
        and live["rows_match"]
        and form["rows_match"]
    )
    targets.append(("votes: score exact (both paths)", "yes" if exact else "no", exact))
    return targets


def write_results(report: str) -> None:
    block = f"{START_MARK}\n{report}\n{END_MARK}"
    if RESULTS.exists():
        text = RESULTS.read_text()
        if START_MARK in text and END_MARK in text:
            head, rest = text.split(START_MARK, 1)
            tail = rest.split(END_MARK, 1)[1]
            RESULTS.write_text(head + block + tail)
            return
        RESULTS.write_text(text.rstrip() + "\n\n" + block + "\n")
        return
    RESULTS.write_text("# Benchmark results\n\n" + block + "\n")


# --- Main ----------------------------------------------------------------------------------------------------


async def measure_http(args, pages: dict, servers: list, sessions: dict) -> dict:
    ports = [server.port for server in servers]
    results = {"pages": []}
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
            results["pages"].append(
                {"page": name, "role": role, "queries": queries, "times": times, "load": load}
            )

    results["pagination"] = await measure_pagination(ports, pages, sessions, args.samples)
    results["search"] = await measure_search(ports, args.samples)
    return results


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


async def measure_search(ports: list[int], samples: int) -> dict:
    log("  search")
    terms, all_times = {}, []
    per_term = max(10, samples // len(SEARCH_TERMS))
    for term in SEARCH_TERMS:
        terms[term] = await sequential_server_times(
            ports, "/search/?q=" + term.replace(" ", "+"), "", per_term
        )
        all_times += terms[term].pop("times")
    # The search's queries: the newest matches by window (forum.selectors.search_queryset), then the page.
    search_plan = await asyncio.to_thread(
        lambda: explain_all(captured_sqls("/search/?q=sleep", "search_vector"))
    )
    return {
        "terms": terms,
        "median": statistics.median(all_times),
        "p95": percentile(all_times, 95),
        "explain": search_plan,
    }


def measure_large(args) -> dict | None:
    """Search and page 10,000 on the large data set (`generate_scale_data --scale 10`: 1,000,000
    questions), with servers of their own: run as a child process (`--large-only`), whose Django talks to
    that database."""
    command = [
        sys.executable, "-m", "bench.run", "--large-only", "--database-url", args.large_database_url,
        "--redis-url", args.redis_url, "--samples", str(args.samples), "--servers", str(args.servers),
        "--server", args.server,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=1800, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        log("  the large data set could not be measured (see above)")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def large_only(args) -> None:
    """The child process of `measure_large`: prints one JSON line."""
    env = prepare_environment(args)
    setup_django()
    from forum.models import Question

    pages = find_pages(deep_page=10_000)
    sessions = {"anonymous": None, "member": session_for(pages["member"])}
    servers = start_servers(env, args.servers, args.server)
    ports = [server.port for server in servers]
    try:
        result = {
            "questions": Question.objects.count(),
            "pagination": asyncio.run(measure_pagination(ports, pages, sessions, args.samples)),
            "search": asyncio.run(measure_search(ports, args.samples)),
        }
    finally:
        for server in servers:
            server.stop()
    print(json.dumps(result, default=str))


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hc_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
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
        "--quick", action="store_true", help="few samples and short loads, to check the harness"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument(
        "--pages-only", action="store_true", help="skip WebSockets and votes (while tuning pages)"
    )
    args = parser.parse_args()
    if args.quick:
        args.samples, args.load_seconds, args.ws_events, args.vote_seconds = 30, 2, 10, 3
        args.ws_clients, args.idle_sockets = [1, 100], 200
    if args.large_only:
        large_only(args)
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
    from accounts.models import ExpertCredential, User
    from forum.models import Answer, Question, Vote

    pages = find_pages()
    data = {
        "questions": Question.objects.count(),
        "approved": pages["approved"],
        "answers": Answer.objects.count(),
        "votes": Vote.objects.count(),
        "members": User.objects.count(),
        "experts": ExpertCredential.objects.count(),
    }
    sessions = {"anonymous": None, "member": session_for(pages["member"])}
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    log(f"Starting {args.servers} {args.server} processes")
    servers = start_servers(env, args.servers, args.server)
    try:
        results = asyncio.run(measure_http(args, pages, servers, sessions))
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
    results["targets"] = evaluate_targets(results)
    report = build_report(results)
    print(report)
    (workdir / "results.json").write_text(json.dumps(results, default=str, indent=1))
    log(f"Raw results: {workdir / 'results.json'}")
    if not args.no_write:
        write_results(report)
        log(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()

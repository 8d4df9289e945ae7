"""Search, and the large data set (search and page 10,000 on a million questions, in a child process)."""

import asyncio
import json
import statistics
import subprocess
import sys

from bench.common import BASE_DIR, log, percentile
from bench.environment import (
    captured_sqls,
    explain_all,
    find_pages,
    prepare_environment,
    session_for,
    setup_django,
)
from bench.pages import measure_pagination, sequential_server_times
from bench.servers import start_servers

SEARCH_TERMS = ["sleep", "back pain", "anxiety", "vitamin d", "knee pain exercise", "thyroid fatigue"]
# Searches as people narrow them (forum.search): words with filters and sorts, synonyms, and filters alone.
# "{tag}" is the data set's most used tag.
FILTERED_SEARCHES = [
    ("sleep · category", "q=sleep&category=living-well"),
    ("sleep · expert answer · most votes", "q=sleep&expert=on&sort=votes"),
    ("back pain · accepted · newest", "q=back+pain&accepted=on&sort=newest"),
    ("anxiety · tag", "q=anxiety&tag={tag}"),
    ("high blood pressure (synonyms)", "q=high+blood+pressure"),
    ("can't sleep (synonyms) · newest", "q=can%27t+sleep&sort=newest"),
    ("no words · tag · most votes", "tag={tag}&sort=votes"),
    ("no words · category · unanswered", "category=conditions&unanswered=on"),
]
FILTERED_PLAN_PATH = "/search/?q=sleep&category=living-well&expert=on"


async def measure_search(ports: list[int], samples: int) -> dict:
    log("  search")
    terms, all_times = {}, []
    per_term = max(10, samples // len(SEARCH_TERMS))
    for term in SEARCH_TERMS:
        terms[term] = await sequential_server_times(
            ports, "/search/?q=" + term.replace(" ", "+"), "", per_term
        )
        all_times += terms[term].pop("times")
    filtered, filtered_times = {}, []
    tag = await asyncio.to_thread(_most_used_tag)
    per_case = max(10, samples // len(FILTERED_SEARCHES))
    for label, query in FILTERED_SEARCHES:
        filtered[label] = await sequential_server_times(
            ports, "/search/?" + query.format(tag=tag), "", per_case
        )
        filtered_times += filtered[label].pop("times")
    # The search's queries: the newest matches by window (forum.search.selectors), ranked, then the page.
    search_plan = await asyncio.to_thread(
        lambda: explain_all(captured_sqls("/search/?q=sleep", "search_vector"))
    )
    filtered_plan = await asyncio.to_thread(
        lambda: explain_all(captured_sqls(FILTERED_PLAN_PATH, "search_vector"))
    )
    return {
        "terms": terms,
        "median": statistics.median(all_times),
        "p95": percentile(all_times, 95),
        "explain": search_plan,
        "filtered": filtered,
        "filtered_median": statistics.median(filtered_times),
        "filtered_p95": percentile(filtered_times, 95),
        "filtered_explain": filtered_plan,
    }


def _most_used_tag() -> str:
    from django.db.models import Count
    from taggit.models import Tag

    tag = Tag.objects.annotate(n=Count("forum_taggedquestion_items")).order_by("-n").first()
    return tag.slug if tag else "sleep"


def search_only(args) -> dict:
    """`--search-only`: search alone (words, then words with filters) on fresh servers, for a data set
    too small or a machine too busy for the whole benchmark. Prints the search table; writes nothing."""
    env = prepare_environment(args)
    setup_django()
    from forum.models import Question

    servers = start_servers(env, args.servers, args.server)
    try:
        search = asyncio.run(measure_search([server.port for server in servers], args.samples))
    finally:
        for server in servers:
            server.stop()
    return {"questions": Question.objects.count(), "search": search}


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

"""The hot question: visitors read the biggest question (300 answers) at full speed while it is written to,
5 votes/s through the form and one new public answer every 10 s (issue 12, item 7).

Measured, all against 127.0.0.1, --hot-seconds idle and as long written to, in alternating 5 s phases:
- visitors' requests/s on the question idle, then under those writes (target: at least 0.8x idle), with the
  page cache's outcomes (hit, miss, previous copy) under writes;
- a vote through the form (htmx POST, as the buttons send it without a socket): the server's time, median
  and p95 (target: median 30 ms or less);
- a member's page of the 5-answer question, sequentially (target: median 6 ms or less).

The votes come from bench/load.py (`vote --rate 5`), a process of its own; the new answers from this
process through forum.services.answer, by a trusted member with FORUM_TRUSTED_SKIP_REVIEW on here only, so
they go public at once and announce themselves like any answer (forum.live.announce: the page's version, the live
event). They are deleted again at the end, so the data set does not grow from run to run.
"""

import asyncio
import json
import statistics
import threading
import time
from pathlib import Path

from bench.common import log
from bench.environment import session_for
from bench.pages import run_load, sequential_server_times

VOTES_PER_SECOND = 5
ANSWER_EVERY_SECONDS = 10
VOTED_ANSWERS = 20
PHASE_SECONDS = 5  # idle and written-to phases alternate, this long each  # the answers of the hot question the voters switch their votes on


def _hot_voters(big, members, count: int, workdir: Path) -> Path:
    """`count` members who wrote none of the hot question's answers (own posts cannot be voted on), with
    sessions and CSRF cookies, and the answers they vote on."""
    from django.middleware.csrf import _get_new_csrf_string

    from forum.models import Answer

    answers = list(
        Answer.objects.filter(question=big, status="approved").order_by("pk").values("pk", "author_id")
    )[:VOTED_ANSWERS]
    authors = set(Answer.objects.filter(question=big).values_list("author_id", flat=True)) | {big.author_id}
    voters = members.exclude(pk__in=authors).filter(is_active=True).order_by("pk")[:count]
    plan = {"answers": [a["pk"] for a in answers], "voters": []}
    for user in voters:
        csrf = _get_new_csrf_string()
        plan["voters"].append({"cookie": f"sessionid={session_for(user)}; csrftoken={csrf}", "csrf": csrf})
    path = workdir / "hot-voters.json"
    path.write_text(json.dumps(plan))
    return path


def _answer_writer(big, members, after: float, created: list[int]) -> None:
    """One new public answer on the hot question, `after` seconds from now, through the service every path
    uses (its page-cache and live-event announcements included)."""
    from django.db import close_old_connections
    from django.test.utils import override_settings

    from accounts.badges import TRUSTED_REPUTATION
    from forum.posting import services

    author = (
        members.filter(reputation__gte=TRUSTED_REPUTATION, is_active=True).exclude(pk=big.author_id).first()
    )
    time.sleep(after)
    try:
        with override_settings(FORUM_TRUSTED_SKIP_REVIEW=True):
            body = f"Benchmark answer {len(created) + 1}: a regular routine and a short walk after meals helped me."
            answer = services.answer(author=author, question=big, body=body, accepted_terms=True)
            created.append(answer.pk)
            if answer.status != "approved":
                log(f"    the benchmark's answer went to review ({answer.status}): not a public write")
    finally:
        close_old_connections()


def _remove_answers(big, created: list[int]) -> None:
    from forum.models import Answer
    from forum.publication import refresh_answer_count

    Answer.objects.filter(pk__in=created).delete()
    refresh_answer_count(big.pk)


def _visitors(args, ports: list[int], path: str, seconds: float) -> dict:
    return run_load(
        ports,
        "get",
        "--path",
        path,
        "--concurrency",
        str(args.concurrency),
        "--duration",
        str(seconds),
        "--max-requests",
        str(args.max_requests * 4),
        "--outcomes",
        timeout=seconds + 60,
    )


def _votes(ports: list[int], voters_file: Path, seconds: float) -> dict:
    load = run_load(
        ports,
        "vote",
        "--voters",
        str(voters_file),
        "--duration",
        str(seconds),
        "--rate",
        str(VOTES_PER_SECOND),
        "--per-voter",
        "100000",
        timeout=seconds + 60,
    )
    load.pop("last_votes", None)
    return load


def _merged(runs: list[dict]) -> dict:
    """Phases of one kind as one: requests/s over their total time; the median of their medians."""
    seconds = sum(run["seconds"] for run in runs)
    requests = sum(run["requests"] for run in runs)
    outcomes: dict[str, int] = {}
    for run in runs:
        for outcome, count in run.get("page_cache", {}).items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count

    def median_of(field):
        values = [run[field] for run in runs if run.get(field) is not None]
        return statistics.median(values) if values else None

    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "per_second": round(requests / seconds, 1) if seconds else 0,
        "errors": sum(run["errors"] for run in runs),
        "server_median_ms": median_of("server_median_ms"),
        "server_p95_ms": median_of("server_p95_ms"),
        "page_cache": outcomes,
    }


async def measure_hot_question(args, pages: dict, servers: list, sessions: dict, workdir: Path) -> dict:
    """Idle and written-to phases of PHASE_SECONDS alternate (--hot-seconds of each in all), so a machine
    whose load drifts meanwhile weighs on both alike."""
    ports = [server.port for server in servers]
    big, five = pages["big"], pages["five"]
    path = big.get_absolute_url()
    await sequential_server_times(ports, path, "", 4)  # warm: the page and its answers' shared copies
    voters_file = await asyncio.to_thread(_hot_voters, big, pages["members"], 10, workdir)
    rounds = max(1, round(args.hot_seconds / PHASE_SECONDS))
    phase = args.hot_seconds / rounds
    idle, under, votes, created = [], [], [], []
    written = 0.0  # seconds of writing so far: an answer every ANSWER_EVERY_SECONDS of it
    try:
        for n in range(rounds):
            log(
                f"  hot question ({big.answer_count} answers), round {n + 1} of {rounds}: idle, then written to"
            )
            idle.append(await asyncio.to_thread(_visitors, args, ports, path, phase))
            writer = None
            if written >= len(created) * ANSWER_EVERY_SECONDS:
                writer = threading.Thread(
                    target=_answer_writer, args=(big, pages["members"], phase / 2, created)
                )
                writer.start()
            visitors, voted = await asyncio.gather(
                asyncio.to_thread(_visitors, args, ports, path, phase),
                asyncio.to_thread(_votes, ports, voters_file, phase),
            )
            under.append(visitors)
            votes.append(voted)
            written += phase
            if writer is not None:
                writer.join(timeout=60)
    finally:
        await asyncio.to_thread(_remove_answers, big, created)
    log("  hot question: a member's 5-answer page")
    cookie = f"sessionid={sessions['member']}"
    member = await sequential_server_times(ports, five.get_absolute_url(), cookie, args.samples)
    member.pop("times", None)
    idle, under, votes = _merged(idle), _merged(under), _merged(votes)
    return {
        "answers": big.answer_count,
        "seconds": args.hot_seconds,
        "rounds": rounds,
        "idle": idle,
        "under_writes": under,
        "votes": votes,
        "new_answers": len(created),
        "member_five": member,
        "ratio": under["per_second"] / idle["per_second"] if idle["per_second"] else 0.0,
    }

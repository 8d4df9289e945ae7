"""Votes: many members voting at once through the live socket or the form, then the scores checked."""

import json
from pathlib import Path

from bench.environment import session_for
from bench.pages import run_load


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

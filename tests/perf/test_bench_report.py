"""The benchmark's report (bench/run.py → bench/report.py) built from a fixed set of measurements: the table
rows carry the measured numbers and the targets are judged from them, without servers or a data set."""

import copy

from bench.report import build_report, evaluate_targets
from bench.run import parse_args

BIG = "question (200 answers)"


def _page(page, role, queries, median, p95, per_second):
    return {
        "page": page,
        "role": role,
        "queries": queries,
        "times": {"median": median, "p95": p95, "outcomes": {"hit": 298, "miss": 2}},
        "load": {"per_second": per_second},
    }


def _votes(per_second, exact=True):
    return {
        "voters": 50,
        "answers": [11, 12, 13],
        "load": {
            "per_second": per_second,
            "requests": 20000,
            "seconds": 10.0,
            "errors": 0,
            "round_trip_median_ms": 4.2,
            "round_trip_p95_ms": 9.9,
            "server_median_ms": 6.5,
            "server_p95_ms": 12.0,
        },
        "check": [{"answer": 11, "score": 7, "sum_of_votes": 7 if exact else 6, "exact": exact}],
        "rows_match": True,
    }


SAMPLE = {
    "started": "2026-11-27 19:00",
    "seconds": 321.4,
    "command": "make bench",
    "load_before": 0.5,
    "load_after": 1.25,
    "machine": {
        "nproc": 2,
        "cpu": "Test CPU",
        "memory": "3.8 GiB",
        "kernel": "6.1",
        "python": "3.12.1",
        "django": "5.2",
        "postgresql": "16.4",
        "redis": "7.2.4",
        "uvicorn": "0.30.0",
    },
    "data": {
        "questions": 100000,
        "approved": 95000,
        "answers": 300000,
        "votes": 900000,
        "members": 20000,
        "experts": 40,
    },
    "servers": 2,
    "server": "uvicorn",
    "samples": 300,
    "concurrency": 16,
    "load_seconds": 5,
    "paths": {
        "home": "/",
        "category": "/c/sleep/",
        "tag": "/tags/sleep/",
        "search": "/search/?q=sleep",
        "question (5 answers)": "/q/1/",
        BIG: "/q/2/",
    },
    "pages": [
        _page(page, role, [6, 1] if role == "anonymous" else [7, 7], median, median * 2, rate)
        for role in ("anonymous", "member")
        for page, median, rate in (
            ("home", 1.5, 2100),
            ("category", 1.6, 2000),
            ("tag", 1.7, 1900),
            ("search", 4.0, 700),
            ("question (5 answers)", 2.5, 1500),
            (BIG, 30.0, 400),
        )
    ],
    "pagination": {
        "deep_page": 4750,
        "approved": 95000,
        "rows": {"anonymous": {"first": 2.0, "deep": 2.4}, "member": {"first": 3.0, "deep": 6.0}},
        "explain": ["Limit", "  -> Index Scan using question_home_idx"],
    },
    "search": {
        "terms": {"sleep": {"median": 3.0, "p95": 5.0, "outcomes": {}}},
        "median": 3.0,
        "p95": 5.0,
        "explain": ["Bitmap Heap Scan", "  -> Bitmap Index Scan on question_search_gin"],
    },
    "ws": [
        {"clients": 1000, "received": 40000, "expected": 40000, "median": 12.0, "p99": 80.0, "max": 120.0}
    ],
    "memory": {"sockets": 1000, "before_kb": 204800, "after_kb": 225280, "per_socket_kb": 20.48},
    "votes": {"socket-vote": _votes(1800), "vote": _votes(300)},
}


def _report(sample):
    sample = copy.deepcopy(sample)
    sample["targets"] = evaluate_targets(sample)
    return sample["targets"], build_report(sample)


def test_report_rows_carry_the_measurements():
    _targets, report = _report(SAMPLE)
    lines = report.splitlines()
    assert lines[0] == "Run 2026-11-27 19:00 UTC, 321 s. Command: `make bench`"
    assert f"| {BIG} | member | 7 | 30.0 | 60.0 | 400 | hit 298, miss 2 |" in lines
    assert "| home | anonymous | 1 (render: 6) | 1.5 | 3.0 | 2100 | hit 298, miss 2 |" in lines
    assert "| 95,000 approved (100k) | member | 3.0 | 4,750 | 6.0 | 2.00 |" in lines
    assert "| **all** | 3.0 | **5.0** |" in lines
    assert "| 1,000 | 40,000/40,000 | 1.000 | 12.0 | 80.0 | 120.0 |" in lines
    assert "| live socket | **1800** | 20,000 | 10.0 | 0 | 4.2 | 9.9 | 7 = 7 ✅ | ✅ |" in lines
    assert "| form (htmx POST) | **300** | 20,000 | 10.0 | 0 | 6.5 | 12.0 | 7 = 7 ✅ | ✅ |" in lines
    assert "Memory per idle WebSocket: 20.5 KiB" in report
    for section in (
        "### Pages",
        "### Deep pagination",
        "### Search",
        "### WebSocket fan-out",
        "### Votes",
        "### Targets",
    ):
        assert section in report


def test_targets_are_judged_from_the_measurements():
    targets, report = _report(SAMPLE)
    met = {target: ok for target, _measured, ok in targets}
    assert met[f"{BIG}, member: median ≤ 25 ms"] is False  # 30 ms
    assert met["question (5 answers), member: median ≤ 10 ms"] is True
    assert met["page 4,750 within 1.5x of page 1, member"] is False  # 2.00x
    assert met["page 4,750 within 1.5x of page 1, anonymous"] is True
    assert met["search uses the GIN index"] is True
    assert met["search p95 at 1,000,000 within 3x of 100,000"] is None  # no large data set
    assert met["votes ≥ 1,500/s (live socket)"] is True
    assert met["votes: score exact (both paths)"] is True
    assert f"| {BIG}, member: median ≤ 25 ms | 30.0 ms | ❌ |" in report.splitlines()

    broken = copy.deepcopy(SAMPLE)
    broken["votes"]["vote"] = _votes(300, exact=False)
    targets, _ = _report(broken)
    assert {t: ok for t, _m, ok in targets}["votes: score exact (both paths)"] is False


def test_quick_mode_shortens_the_run_and_keeps_the_other_options():

    args = parse_args(["--quick", "--servers", "3", "--ws-clients", "1,10"])
    assert (args.samples, args.load_seconds, args.vote_seconds, args.ws_clients) == (30, 2, 3, [1, 100])
    assert (args.servers, args.server, args.concurrency) == (3, "uvicorn", 16)


def _hot(idle, under, vote_ms, member_ms):
    def load(per_second, median):
        return {
            "per_second": per_second,
            "requests": int(per_second * 20),
            "errors": 0,
            "server_median_ms": median,
            "server_p95_ms": median * 2,
        }

    return {
        "answers": 300,
        "seconds": 20,
        "idle": load(idle, 2.0),
        "under_writes": {**load(under, 2.5), "page_cache": {"hit": 900, "previous": 80, "miss": 20}},
        "votes": {**load(5.0, vote_ms), "requests": 100},
        "new_answers": 2,
        "member_five": {"median": member_ms, "p95": member_ms * 2, "outcomes": {}},
        "ratio": under / idle,
    }


def test_hot_question_row_carries_the_measurements_and_judges_item_7():
    sample = copy.deepcopy(SAMPLE)
    sample["hot"] = _hot(idle=500, under=450, vote_ms=20.0, member_ms=5.5)
    targets, report = _report(sample)
    lines = report.splitlines()
    assert "| visitors, idle | 500 | 2.0 | 4.0 | 0 | |" in lines
    assert (
        "| visitors, under writes | **450** (0.90x idle) | 2.5 | 5.0 | 0 | hit 900, miss 20, previous 80 |"
        in lines
    )
    assert "| votes through the form meanwhile | 5.0 (100 votes) | **20.0** | 40.0 | 0 | |" in lines
    met = {target: ok for target, _measured, ok in targets}
    assert met["hot question: visitors' req/s under writes ≥ 0.8x idle"] is True
    assert met["hot question: a vote through the form, median ≤ 30 ms"] is True
    assert met["a member's 5-answer question page, median ≤ 6 ms"] is True

    sample["hot"] = _hot(idle=500, under=300, vote_ms=48.0, member_ms=10.5)
    met = {target: ok for target, _measured, ok in _report(sample)[0]}
    assert met["hot question: visitors' req/s under writes ≥ 0.8x idle"] is False  # 0.60x
    assert met["hot question: a vote through the form, median ≤ 30 ms"] is False
    assert met["a member's 5-answer question page, median ≤ 6 ms"] is False


def test_a_run_without_the_hot_question_reports_no_hot_targets():
    targets, report = _report(SAMPLE)
    assert "### Hot question" not in report
    assert not [t for t, _m, _ok in targets if t.startswith("hot question")]

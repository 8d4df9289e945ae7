"""The report: the run's results as Markdown tables, the targets judged, written into bench/RESULTS.md."""

from bench.common import BASE_DIR

RESULTS = BASE_DIR / "bench" / "RESULTS.md"
START_MARK, END_MARK = "<!-- bench:generated:start -->", "<!-- bench:generated:end -->"


def ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def mark(ok: bool | None) -> str:
    return "-" if ok is None else ("✅" if ok else "❌")


def build_report(r: dict) -> str:
    """The Markdown report of a run's results `r` (as main collects them, targets judged)."""
    sections = (
        _summary,
        _pages_table,
        _pagination_table,
        _search_table,
        _live_section,
        _votes_table,
        hot_section,
        _targets_table,
    )
    return "\n".join(line for section in sections for line in section(r))


def _summary(r: dict) -> list[str]:
    """The run, the machine and the data set."""
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
    return out


def _pages_table(r: dict) -> list[str]:
    """One row per page and visitor."""
    out = []
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
    return out


def _pagination_table(r: dict) -> list[str]:
    """Page 1 against the deepest page, and the deep page's plan."""
    out = []
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
    return out


def _search_table(r: dict) -> list[str]:
    """Search times per term (both data sets when the large one was measured), and the plans."""
    out = []
    large = r.get("large")
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
    if s.get("filtered"):
        out.append("")
        out.extend(search_rows(s, ls, words=False))
    for label, plan in (("100k", s["explain"]), ("1M", ls and ls["explain"])):
        if not plan:
            continue
        out.append("")
        out.append(f"Plan of the search query for “sleep” ({label}, `EXPLAIN ANALYZE`):")
        out.append("")
        out.append("```")
        out.extend(plan)
        out.append("```")
    if s.get("filtered_explain"):
        out.append("")
        out.append(
            "Plan of a search with filters, “sleep” in a category with an expert's answer (`EXPLAIN ANALYZE`):"
        )
        out.append("")
        out.append("```")
        out.extend(s["filtered_explain"])
        out.append("```")
    return out


def search_rows(s: dict, large: dict | None = None, *, words: bool = True) -> list[str]:
    """Search with filters and sorts (forum.search), one row per case, and the p95 over them all; with
    `large`, the large data set's figures beside them. `words`: the plain word searches first."""
    out = ["| search | median ms | p95 ms |" + (" large: median ms | p95 ms |" if large else "")]
    out.append("|---|---:|---:|" + ("---:|---:|" if large else ""))
    cases = ([(t, row) for t, row in s["terms"].items()] if words else []) + list(s["filtered"].items())
    for label, row in cases:
        line = f"| {label} | {ms(row['median'])} | {ms(row['p95'])} |"
        if large:
            big = {**large["terms"], **large.get("filtered", {})}.get(label)
            line += f" {ms(big['median'])} | {ms(big['p95'])} |" if big else " - | - |"
        out.append(line)
    line = f"| **with filters, all** | {ms(s['filtered_median'])} | **{ms(s['filtered_p95'])}** |"
    if large and large.get("filtered"):
        line += f" {ms(large['filtered_median'])} | **{ms(large['filtered_p95'])}** |"
    out.append(line)
    return out


def _live_section(r: dict) -> list[str]:
    """WebSocket fan-out and memory per idle socket, when measured."""
    out = []
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
    return out


def _votes_table(r: dict) -> list[str]:
    """Votes per second on both paths, and whether the scores stayed exact."""
    out = []
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
    return out


def hot_section(r: dict) -> list[str]:
    """The hot question: visitors' requests/s idle and under writes, the form's votes meanwhile, a
    member's 5-answer page."""
    h = r.get("hot")
    if not h:
        return []
    idle, under, votes, member = h["idle"], h["under_writes"], h["votes"], h["member_five"]
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(under.get("page_cache", {}).items()))
    out = ["", "### Hot question", ""]
    out.append(
        f"Visitors read the {h['answers']}-answer question at full speed (the req/s connections above) for "
        f"{h['seconds']:.0f} s idle and {h['seconds']:.0f} s while 5 votes/s arrive through the form on its "
        f"answers and a new public answer every 10 s ({h['new_answers']} written, deleted afterwards), in "
        f"idle and written-to phases taken in turn ({h.get('rounds', 1)} of each), so a drift in the machine's "
        "load weighs on both alike."
    )
    out.append("")
    out.append("| what | req/s | server median ms | server p95 ms | errors | page cache |")
    out.append("|---|---:|---:|---:|---:|---|")
    out.append(
        f"| visitors, idle | {idle['per_second']:.0f} | {ms(idle['server_median_ms'])} | "
        f"{ms(idle['server_p95_ms'])} | {idle['errors']} | |"
    )
    out.append(
        f"| visitors, under writes | **{under['per_second']:.0f}** ({h['ratio']:.2f}x idle) | "
        f"{ms(under['server_median_ms'])} | {ms(under['server_p95_ms'])} | {under['errors']} | {outcomes} |"
    )
    out.append(
        f"| votes through the form meanwhile | {votes['per_second']:.1f} ({votes['requests']} votes) | "
        f"**{ms(votes['server_median_ms'])}** | {ms(votes['server_p95_ms'])} | {votes['errors']} | |"
    )
    out.append(
        f"| a member's 5-answer question page (sequential) | | **{ms(member['median'])}** | {ms(member['p95'])} | | |"
    )
    return out


def _targets_table(r: dict) -> list[str]:
    """Each target, what was measured and whether it was met."""
    out = []
    out.append("")
    out.append("### Targets")
    out.append("")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for target, measured, ok in r["targets"]:
        out.append(f"| {target} | {measured} | {mark(ok)} |")
    return out


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
    filtered_plans = [r["search"].get("filtered_explain")] + (
        [large["search"].get("filtered_explain")] if large else []
    )
    if all(filtered_plans):
        gin = all(any("question_search_gin" in line for line in plan) for plan in filtered_plans)
        targets.append(("search with filters uses the GIN index", "yes" if gin else "no", gin))
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
    if large and large["search"].get("filtered") and r["search"].get("filtered"):
        ratio = large["search"]["filtered_p95"] / r["search"]["filtered_p95"]
        targets.append(
            (
                f"search with filters p95 at {large['questions']:,} questions within 3x of 100,000",
                f"{large['search']['filtered_p95']:.1f} / {r['search']['filtered_p95']:.1f} ms = {ratio:.2f}x",
                ratio <= 3,
            )
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
    return targets + hot_targets(r)


def hot_targets(r: dict) -> list:
    """Item 7 of issue 12: fast under writes, fast for members."""
    h = r.get("hot")
    if not h:
        return []
    vote_ms, member_ms = h["votes"]["server_median_ms"], h["member_five"]["median"]
    return [
        ("hot question: visitors' req/s under writes ≥ 0.8x idle", f"{h['ratio']:.2f}x", h["ratio"] >= 0.8),
        (
            "hot question: a vote through the form, median ≤ 30 ms",
            f"{ms(vote_ms)} ms",
            (vote_ms or 1e9) <= 30,
        ),
        ("a member's 5-answer question page, median ≤ 6 ms", f"{member_ms:.1f} ms", member_ms <= 6),
    ]


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

"""A small asyncio HTTP/1.1 load generator for bench/run.py, run as its own process so the client's CPU is
not the server's. Localhost only, bounded in requests and in time; prints one JSON line of results.

    python -m bench.load get --ports 8001,8002 --path / --concurrency 16 --duration 5 --max-requests 4000
    python -m bench.load vote --ports 8001,8002 --voters voters.json --duration 10 --per-voter 200
    python -m bench.load vote --ports 8001,8002 --voters voters.json --duration 20 --rate 5
    python -m bench.load socket-vote --ports 8001,8002 --voters voters.json --duration 10 --per-voter 200

`get`: `--concurrency` keep-alive connections (spread over the ports) request `--path` in a loop.
`vote`: one connection per voter; each voter switches its vote on the target answers round robin (up,
then down, then up...), so every request changes a vote row; each must succeed (status 200). `--rate`
spaces the votes to that many per second in all (the hot question of bench/hot.py).
`socket-vote`: the same voters and votes, sent the way the page's vote buttons send them when its live
socket is open: one WebSocket per voter (session cookie), each vote answered once it is committed.
"""

import argparse
import asyncio
import contextlib
import json
import re
import statistics
import sys
import time

HOST = "127.0.0.1"  # the only address this client will talk to
SERVER_TIMING = re.compile(rb"app;dur=([0-9.]+)")
PAGE_CACHE = re.compile(r"page-cache;desc=(\w+)")
PRESSED = re.compile(rb'value="(up|down)" class="vote-button vote-(?:up|down)" aria-pressed="true"')


class Connection:
    """One keep-alive HTTP/1.1 connection; reads Content-Length and chunked bodies."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None

    async def request(self, method: str, path: str, headers: dict | None = None, body: bytes = b""):
        if self.writer is None:
            await self.open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: keep-alive"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
        if "content-length" in response_headers:
            content = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            content = b"".join(chunks)
        elif status in (204, 304) or method == "HEAD":
            content = b""
        else:
            content = await self.reader.read()
            await self.close()
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        return status, response_headers, content


def server_ms(headers: dict) -> float | None:
    match = SERVER_TIMING.search(headers.get("server-timing", "").encode())
    return float(match.group(1)) if match else None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def summary(started: float, done: int, errors: int, statuses: dict, timings: list[float]) -> dict:
    seconds = time.perf_counter() - started
    return {
        "requests": done,
        "errors": errors,
        "seconds": round(seconds, 3),
        "per_second": round(done / seconds, 1) if seconds else 0,
        "statuses": statuses,
        "server_median_ms": round(statistics.median(timings), 2) if timings else None,
        "server_p95_ms": round(percentile(timings, 95), 2) if timings else None,
    }


def next_vote(index: int, n: int, answers: list[int], last_vote: dict) -> tuple[int, str, str]:
    """Voter `index`'s `n`th vote: the answers round robin, each vote changing the voter's vote on it
    (none/down -> up, up -> down), so none is ever a no-op. Returns (answer, its last_vote key, value)."""
    answer = answers[(index + n) % len(answers)]
    key = f"{index}:{answer}"
    return answer, key, "down" if last_vote.get(key) == 1 else "up"


async def load_get(args) -> dict:
    headers = {"Cookie": args.cookie} if args.cookie else {}
    deadline = time.perf_counter() + args.duration
    budget = [args.max_requests]
    statuses: dict[str, int] = {}
    timings: list[float] = []
    counts = {"done": 0, "errors": 0}

    async def worker(port: int) -> None:
        connection = Connection(port)
        try:
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                try:
                    status, response_headers, _ = await connection.request("GET", args.path, headers)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    counts["errors"] += 1
                    await connection.close()
                    continue
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status != args.expect:
                    counts["errors"] += 1
                    continue
                counts["done"] += 1
                if (ms := server_ms(response_headers)) is not None:
                    timings.append(ms)
                if args.outcomes:
                    match = PAGE_CACHE.search(response_headers.get("server-timing", ""))
                    outcome = match.group(1) if match else "none"
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            await connection.close()

    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    await asyncio.gather(*(worker(args.ports[i % len(args.ports)]) for i in range(args.concurrency)))
    result = summary(started, counts["done"], counts["errors"], statuses, timings)
    if args.outcomes:
        result["page_cache"] = outcomes
    return result


async def load_votes(args) -> dict:
    with open(args.voters) as f:
        plan = json.load(f)  # {"voters": [{"cookie": ..., "csrf": ...}], "answers": [ids]}
    answers = plan["answers"]
    deadline = time.perf_counter() + args.duration
    statuses: dict[str, int] = {}
    timings: list[float] = []
    counts = {"done": 0, "errors": 0}
    last_vote: dict[str, int] = {}  # "voter:answer" -> the voter's vote as the server's widget shows it
    ready = asyncio.Event()
    slots = {"next": 0, "start": 0.0}

    async def wait_for_slot() -> None:
        """With --rate, votes leave at that many per second in all (one schedule for every voter)."""
        if args.rate:
            slot, slots["next"] = slots["next"], slots["next"] + 1
            delay = slots["start"] + slot / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    async def voter(index: int, person: dict) -> None:
        connection = Connection(args.ports[index % len(args.ports)])
        await connection.open()
        headers = {
            "Cookie": person["cookie"],
            "X-CSRFToken": person["csrf"],
            "HX-Request": "true",  # as the page's vote buttons send it (htmx): the widget comes back
            "Content-Type": "application/x-www-form-urlencoded",
        }
        await ready.wait()
        try:
            for n in range(args.per_voter):
                await wait_for_slot()
                if time.perf_counter() >= deadline:
                    break
                answer, key, value = next_vote(index, n, answers, last_vote)
                try:
                    status, response_headers, content = await connection.request(
                        "POST", f"/votes/answer/{answer}/", headers, f"value={value}".encode()
                    )
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    counts["errors"] += 1
                    await connection.close()
                    continue
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status != 200:
                    counts["errors"] += 1
                    continue
                # The widget that comes back shows the vote now (a vote left by an earlier run toggles).
                pressed = PRESSED.search(content)
                last_vote[key] = {b"up": 1, b"down": -1}[pressed.group(1)] if pressed else 0
                counts["done"] += 1
                if (ms := server_ms(response_headers)) is not None:
                    timings.append(ms)
        finally:
            await connection.close()

    tasks = [asyncio.create_task(voter(i, person)) for i, person in enumerate(plan["voters"])]
    await asyncio.sleep(0.2)  # every voter connected before the clock starts
    started = slots["start"] = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    result = summary(started, counts["done"], counts["errors"], statuses, timings)
    result["last_votes"] = last_vote
    return result


async def load_socket_votes(args) -> dict:
    import websockets

    with open(args.voters) as f:
        plan = json.load(f)
    answers = plan["answers"]
    deadline = time.perf_counter() + args.duration
    latencies: list[float] = []
    counts = {"done": 0, "errors": 0}
    errors: dict[str, int] = {}
    last_vote: dict[str, int] = {}
    ready = asyncio.Event()

    async def voter(index: int, person: dict) -> None:
        port = args.ports[index % len(args.ports)]
        async with websockets.connect(
            f"ws://{HOST}:{port}/ws/live/",
            origin=f"http://{HOST}:{port}",
            additional_headers={"Cookie": person["cookie"]},
        ) as socket:
            await ready.wait()
            for n in range(args.per_voter):
                if time.perf_counter() >= deadline:
                    break
                answer, key, value = next_vote(index, n, answers, last_vote)
                sent = time.perf_counter()
                await socket.send(
                    json.dumps({"vote": {"kind": "answer", "id": answer, "value": value}, "ref": n})
                )
                reply = json.loads(await socket.recv())
                latencies.append((time.perf_counter() - sent) * 1000)
                if "voted" not in reply or reply.get("ref") != n:
                    counts["errors"] += 1
                    reason = str(reply.get("vote_refused", {}).get("error", reply))[:80]
                    errors[reason] = errors.get(reason, 0) + 1
                    continue
                last_vote[key] = reply["voted"]["my_vote"]
                counts["done"] += 1

    tasks = [asyncio.create_task(voter(i, person)) for i, person in enumerate(plan["voters"])]
    await asyncio.sleep(1.0)  # every voter connected before the clock starts
    started = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    result = summary(started, counts["done"], counts["errors"], {"refused": errors}, [])
    result["round_trip_median_ms"] = round(statistics.median(latencies), 2) if latencies else None
    result["round_trip_p95_ms"] = round(percentile(latencies, 95), 2) if latencies else None
    result["last_votes"] = last_vote
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["get", "vote", "socket-vote"])
    parser.add_argument("--ports", required=True, type=lambda s: [int(p) for p in s.split(",")])
    parser.add_argument("--path", default="/")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--expect", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0, help="stop after this many seconds")
    parser.add_argument("--max-requests", type=int, default=5000, help="stop after this many requests")
    parser.add_argument("--voters", help="JSON file: voters (cookie, csrf) and answer ids")
    parser.add_argument("--per-voter", type=int, default=200, help="votes per voter at most")
    parser.add_argument("--rate", type=float, default=0, help="vote: votes per second in all (0: flat out)")
    parser.add_argument("--outcomes", action="store_true", help="get: count the page cache's outcomes")
    args = parser.parse_args()
    args.duration = min(args.duration, 60.0)  # bounded whatever the caller asks
    runner = {"get": load_get, "vote": load_votes, "socket-vote": load_socket_votes}[args.mode]
    result = asyncio.run(asyncio.wait_for(runner(args), args.duration + 30))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

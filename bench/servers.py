"""The server processes under test, and their memory."""

from pathlib import Path


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

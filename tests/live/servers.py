"""Real processes for the slow live tests and the benchmark: a private redis-server and the production ASGI
server (uvicorn, README "Production"; daphne on request), on free local ports."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
APP = "community.asgi:application"
# The production server's options (README, "Production"): the fast event loop and HTTP parser; the
# websockets library's sans-I/O protocol (less memory per socket than its legacy one, which uvicorn
# deprecates) without per-message compression (events are small; compressing each copy for each socket
# cost CPU, and each socket's compressor ~100 KiB); no lifespan protocol (the application has none); and no
# access log (it would write request paths: question slugs, search terms).
UVICORN_OPTIONS = [
    "--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
    "--lifespan", "off", "--no-access-log",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class PrivateRedis:
    """A redis-server of the test's own (no persistence), so stopping it disturbs nobody else."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class AppServer:
    """`community.asgi:application` in a subprocess of its own, with its own environment and log file:
    uvicorn as in production (uvloop, httptools, websockets; no access log), or daphne (`server="daphne"`,
    the development server's engine); from the project's directory or, `cwd`, a copy of it elsewhere."""

    def __init__(self, env: dict, port: int | None = None, server: str = "uvicorn", cwd: Path = BASE_DIR):
        self.port = port or free_port()
        self.server = server
        self.cwd = cwd  # the code and the disk it sees: uvicorn imports the application from here
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open for the server's lifetime)
            prefix=f"{server}-{self.port}-", suffix=".log", delete=False
        )
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        program = str(Path(sys.executable).with_name(self.server))
        if self.server == "daphne":
            return [program, "--access-log", "/dev/null", "-b", "127.0.0.1", "-p", str(self.port), APP]
        return [program, *UVICORN_OPTIONS, "--host", "127.0.0.1", "--port", str(self.port), APP]

    def start(self) -> "AppServer":
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, timeout=30)
        urllib.request.urlopen(f"{self.base}/healthz", timeout=10).read()  # noqa: S310 (local test server)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

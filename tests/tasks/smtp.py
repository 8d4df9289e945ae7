"""A real SMTP server for the background-work tests, on a free local port: Django's SMTP backend (in this
process or in a worker process) talks to it over a socket like to any mail server. It can be slow (waits
before greeting), refuse the first connections (421, a transient failure), or hang at the first DATA (a
message being sent when its worker is killed: the dropped connection delivers nothing)."""

import socketserver
import threading
import time


class _Handler(socketserver.StreamRequestHandler):
    def say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server: TestSMTPServer = self.server.owner
        with server.lock:
            server.connections += 1
            number = server.connections
        if number <= server.refuse_first:
            self.say("421 4.3.2 Service not available, try again later")
            return
        time.sleep(server.delay)
        self.say("220 test.local ESMTP")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith(b"EHLO"):
                self.say("250-test.local")
                self.say("250 8BITMIME")
            elif command.startswith(b"DATA"):
                if server.hang_first_data and not server.hung.is_set():
                    server.hung.set()
                    server.release.wait(120)  # until the test releases it; the client is gone by then
                    return
                self.say("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                    data += chunk
                if chunk != b".\r\n":
                    return  # the client went away mid-message: nothing is delivered
                with server.lock:
                    server.messages.append(data.decode("utf-8", "replace"))
                self.say("250 2.0.0 Ok: queued")
            elif command.startswith(b"QUIT"):
                self.say("221 2.0.0 Bye")
                return
            elif command.split(b" ")[0] in {b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                self.say("250 2.0.0 Ok")
            else:
                self.say("502 5.5.2 Command not recognised")


class TestSMTPServer:
    __test__ = False  # not a test class

    def __init__(self, *, delay: float = 0, refuse_first: int = 0, hang_first_data: bool = False):
        self.delay, self.refuse_first, self.hang_first_data = delay, refuse_first, hang_first_data
        self.lock = threading.Lock()
        self.messages: list[str] = []
        self.connections = 0
        self.hung, self.release = threading.Event(), threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self
        self.port = self._server.server_address[1]

    def __enter__(self) -> "TestSMTPServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def settings(self) -> dict:
        """Django settings (and worker environment) that send through this server."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}

    def wait_for(self, count: int, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return list(self.messages)


def use_smtp(settings, server: TestSMTPServer) -> None:
    """Point this process's Django at `server` through the real SMTP backend."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 30

"""WebSockets open in each server process: an ASGI wrapper that watches the accept and the end."""

from prometheus_client import Counter, Gauge

# "liveall": in multiprocess mode one series per live process (a `pid` label); a dead process's series goes.
OPEN = Gauge("hc_websockets_open", "WebSockets open in this server process.", multiprocess_mode="liveall")
ACCEPTED = Counter("hc_websockets_accepted_total", "WebSockets accepted since the process started.")


class CountWebSockets:
    """Wraps the WebSocket application: a socket counts as open from its accept until the consumer ends."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        accepted = False

        async def watched_send(message):
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                OPEN.inc()
                ACCEPTED.inc()
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            if accepted:
                OPEN.dec()

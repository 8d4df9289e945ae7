"""community.handler: Django's ASGI handler, with the middleware chain and the view in one thread.

The project's middleware is sync-only, so Django's own handler switched between the event loop and threads
several times per request (bench/RESULTS.md). These tests check that ours runs the middleware and the view
in one thread, and still serves what Django's does: streaming responses, 404 and 500 pages, and the
request_started / request_finished signals (request_finished returns the database connection to the pool).
"""

import asyncio
import threading

import pytest
from django.core import signals
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import include, path

from community.handler import ASGIHandler
from forum.models import NAV_CACHE_KEY

seen = {}


class RecordThreadMiddleware:
    """Sync-only, like community.security's: notes the thread the chain runs in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seen["middleware"] = threading.get_ident()
        return self.get_response(request)


def plain(request):
    seen["view"] = threading.get_ident()
    return HttpResponse("plain")


def streaming(request):
    return StreamingHttpResponse(iter([b"one ", b"two ", b"three"]))


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("plain/", plain),
    path("streaming/", streaming),
    path("broken/", broken),
    path("", include("community.urls")),  # the site's 404 and 500 pages need its URL names
]


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RecordThreadMiddleware"]
    seen.clear()
    return ASGIHandler()


def call(handler, url: str) -> tuple[int, bytes]:
    """One GET through the ASGI handler, as daphne would send it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages = []

    async def run():
        sent_request = False

        async def receive():
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)  # no disconnect while the response is made

        async def send(message):
            messages.append(message)

        await handler(scope, receive, send)

    asyncio.run(run())
    start = messages[0]
    assert start["type"] == "http.response.start"
    return start["status"], b"".join(m.get("body", b"") for m in messages[1:])


def test_the_view_runs_in_the_middleware_thread(handler):
    assert call(handler, "/plain/") == (200, b"plain")
    assert seen["view"] == seen["middleware"]
    assert seen["view"] != threading.get_ident()  # not on the event loop's thread


def test_streaming_responses_are_sent_whole(handler):
    assert call(handler, "/streaming/") == (200, b"one two three")


def test_not_found_and_errors_get_their_pages(handler):
    cache.set(NAV_CACHE_KEY, [])  # the pages' navigation, so they need no database
    assert call(handler, "/nowhere/")[0] == 404
    assert call(handler, "/broken/")[0] == 500


@pytest.mark.parametrize("url", ["/plain/", "/streaming/", "/broken/"])
def test_every_request_is_started_and_finished_once(handler, url):
    events = []

    def started(**kwargs):
        events.append("started")

    def finished(**kwargs):
        events.append("finished")

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        call(handler, url)
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert events == ["started", "finished"]


@pytest.mark.skipif(not ASGIHandler.reuse_threads, reason="asgiref without ThreadSensitiveContext(executor=)")
def test_request_threads_are_reused(handler):
    call(handler, "/plain/")
    first = seen["view"]
    call(handler, "/plain/")
    assert seen["view"] == first

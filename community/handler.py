"""Django's ASGI handler with one thread switch per request instead of half a dozen.

Django's own handler loads the middleware in async mode. Ours are sync-only (SecurityHeadersMiddleware,
PowersNeedMFAMiddleware, and most of Django's), and every view is sync, so a request went: event loop →
thread for the request_started signal, → thread for the middleware chain, → back to the loop for
`_get_response_async`, → a thread again for each `process_view` and for the view, and → a thread once more
to close the response. Each switch is a round trip through the event loop while daphne serves other
connections; together they cost a member page several milliseconds (bench/RESULTS.md).

Here the chain is loaded in sync mode (the innermost handler is the sync `_get_response`, so the view runs
in the middleware's thread, as under WSGI) and the request runs in one `sync_to_async` call: the
request_started signal, the whole chain, and — for a response whose body is already in memory — closing it
(request_finished: the database connection goes back to the pool before the bytes are sent rather than
after). Streaming and file responses are iterated on the event loop as Django does and closed after
sending. A client that disconnects still cancels the wait, as in Django's handler.
"""

import asyncio
import contextlib
import inspect
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import asgi, base
from django.http import FileResponse
from django.urls import set_script_prefix

IDLE_THREADS = 32  # request threads kept for reuse; more are made under load and ended afterwards


# ThreadSensitiveContext(executor=...) is recent asgiref (installed: 3.13); with an older one every request
# gets a new thread, as in Django's handler.
_ASGIREF_TAKES_EXECUTOR = "executor" in inspect.signature(ThreadSensitiveContext).parameters


class ASGIHandler(asgi.ASGIHandler):
    reuse_threads = _ASGIREF_TAKES_EXECUTOR

    def __init__(self):
        base.BaseHandler.__init__(self)  # not asgi.ASGIHandler.__init__: it loads the chain in async mode
        self.load_middleware(is_async=False)
        self._idle: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send):
        """A request's sync work runs in a thread of its own, as in Django, but the thread is taken from
        those of finished requests rather than started (and joined) anew for every request."""
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        if not self.reuse_threads:
            return await super().__call__(scope, receive, send)
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(1, thread_name_prefix="request")
        finished = False
        try:
            async with ThreadSensitiveContext(executor=executor):
                finished = await self.handle(scope, receive, send)
        finally:
            if finished and len(self._idle) < IDLE_THREADS:
                self._idle.append(executor)
            else:  # a request given up on (client gone) may still run in it: never hand it to another one
                executor.shutdown(wait=False)

    async def get_response_async(self, request):
        """Kept for callers of Django's API (our `handle` does not use it): the sync chain in one thread."""
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    def _respond(self, scope, request):
        """Everything of a request that runs in its thread: request_started, the middleware chain and the
        view, and closing a response that is complete (request_finished)."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        response = self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size  # the ASGI server does the fine chunking
        if not response.streaming:
            response.close()  # the body is bytes already; sending it needs no database or files
        return response

    async def handle(self, scope, receive, send) -> bool:
        """Django's `ASGIHandler.handle` with the request's sync work in one thread switch. True when no
        sync work of the request can still be running (it was not given up on)."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return True
        set_script_prefix(asgi.get_script_prefix(scope))
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            body_file.close()
            await signals.request_started.asend(sender=self.__class__, scope=scope)
            await self.send_response(error_response, send)
            await sync_to_async(error_response.close)()
            return True

        async def process_request():
            response = await sync_to_async(self._respond, thread_sensitive=True)(scope, request)
            with contextlib.suppress(asyncio.CancelledError):  # the client went away while we were sending
                await self.send_response(response, send)
            return response

        # As in Django: listen for a disconnect while the response is made and sent.
        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request()),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            response = tasks[1].result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
            finished = False
        else:
            if response.streaming:
                await sync_to_async(response.close)()
            finished = True
        body_file.close()
        return finished


def get_asgi_application() -> ASGIHandler:
    """As django.core.asgi.get_asgi_application, with our handler."""

    django.setup(set_prefix=False)
    return ASGIHandler()

"""Server-Timing: how long the application took for each response (`app;dur=<ms>`), and for anonymous
pages whether they came from the page cache (`page-cache;desc=hit|miss|304`). Browsers' developer tools
show it; the benchmark (bench/pages.py) reads it to tell server time from the time spent in the network
and HTTP server."""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from community.metrics import http as http_metrics


class ServerTimingMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware as well as the view. Runs in
    whichever mode the chain below it runs (sync or async), so it adds no thread switch of its own."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        started = time.perf_counter()
        return self._stamp(request, self.get_response(request), started)

    async def _acall(self, request):
        started = time.perf_counter()
        return self._stamp(request, await self.get_response(request), started)

    @staticmethod
    def _stamp(request, response, started: float):
        seconds = time.perf_counter() - started
        # The same span is what /metrics reports by route name (one measurement, two readers).
        http_metrics.record(request, response, seconds)
        parts = [f"app;dur={seconds * 1000:.2f}"]
        outcome = getattr(response, "page_cache", None)
        if outcome:
            parts.append(f"page-cache;desc={outcome}")
        response["Server-Timing"] = ", ".join(parts)
        return response

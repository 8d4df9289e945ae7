"""What the metrics cost: one request's recording (latency histogram, response counter, page-cache outcome)
and one live-event copy's, in microseconds, best of 5 x 100,000 calls. Set PROMETHEUS_MULTIPROC_DIR (an empty
directory) to measure the multiprocess mode the production servers use.

    .venv/bin/python -m bench.metrics_overhead
"""

import os
import timeit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
django.setup()

from django.http import HttpResponse  # noqa: E402  (needs Django set up first)
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from community.metrics import http, live  # noqa: E402

CALLS = 100_000


def best_microseconds(function) -> float:
    return min(timeit.repeat(function, number=CALLS, repeat=5)) / CALLS * 1e6


def main() -> None:
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")
    response = HttpResponse("x")
    response.page_cache = "hit"
    mode = "multiprocess" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "single-process"
    per_request = best_microseconds(lambda: http.record(request, response, 0.003))
    per_copy = best_microseconds(lambda: live.event_delivered("answer.new"))
    print(f"{mode}: {per_request:.1f} us per request, {per_copy:.1f} us per live-event copy")


if __name__ == "__main__":
    main()

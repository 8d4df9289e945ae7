"""Request latency by route name and the page cache's outcomes, for every HTTP response."""

from prometheus_client import Counter, Histogram

from community.metrics.labels import series

# Up to 10 s: anything slower is an incident whatever the bucket.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # static files, 404s before any route matched

REQUEST_SECONDS = Histogram(
    "hc_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name (never the path) and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "hc_http_responses_total",
    "HTTP responses by route name, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["route", "method", "status"],
)
PAGE_CACHE = Counter(
    "hc_page_cache_responses_total",
    "Anonymous pages by page-cache outcome: hit, 304 (the visitor's copy is current) or miss (rendered).",
    ["outcome"],
)


def route_name(request) -> str:
    """The URL pattern's name ("forum:question"), which names a kind of page and never a topic."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name or UNMATCHED) if match is not None else UNMATCHED


def record(request, response, seconds: float) -> None:
    route = route_name(request)
    method = request.method if request.method in METHODS else "other"
    series(REQUEST_SECONDS, route, method).observe(seconds)
    series(RESPONSES, route, method, f"{response.status_code // 100}xx").inc()
    outcome = getattr(response, "page_cache", None)  # set by community.page_cache
    if outcome:
        series(PAGE_CACHE, outcome).inc()

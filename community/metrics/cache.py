"""The shared parts of pages (each answer as everyone sees it, list rows, "More Q&A"), read from the cache
for members and visitors alike by community.page_cache: found (hit) or rendered again (miss). Whole anonymous
pages are counted by http.py from the response (hc_page_cache_responses_total)."""

from prometheus_client import Counter

from community.metrics.labels import series

PARTS = Counter(
    "hc_shared_parts_total",
    "Shared page parts looked up in the cache: hit or miss (rendered again).",
    ["outcome"],
)


def parts_read(*, asked: int, found: int) -> None:
    if found:
        series(PARTS, "hit").inc(found)
    if asked > found:
        series(PARTS, "miss").inc(asked - found)

"""Live events: published once per change (community.live.events) and delivered once per subscribed socket
(forum.live.consumers). Delivered / published is the fan-out; a delivered rate that drops while publishing goes
on means sockets are not getting their updates."""

from prometheus_client import Counter

from community.metrics.labels import series

PUBLISHED = Counter(
    "hc_live_events_published_total", "Live events handed to the channel layer, by event type.", ["event"]
)
DELIVERED = Counter(
    "hc_live_events_delivered_total", "Live event copies sent to a WebSocket, by event type.", ["event"]
)


def event_published(event_type: str) -> None:
    series(PUBLISHED, event_type).inc()


def event_delivered(event_type: str) -> None:
    series(DELIVERED, event_type).inc()

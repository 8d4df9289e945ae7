"""What an operator watches, in Prometheus' text format at /metrics (prometheus-client).

The shared layer: it imports neither forum nor accounts; they call into it.

- http.py        request latency by route name (never the path: paths carry health topics), responses by
                 status class, page-cache outcomes (the hit ratio); recorded by community.timing's middleware
- cache.py       shared page parts (answers, list rows) found in the cache or rendered again (community.page_cache)
- websockets.py  WebSockets open per process and accepted; an ASGI wrapper in community.asgi
- live.py        live events published (community.live.events) and copies delivered to sockets (forum.live.consumers)
- tasks.py       background tasks queued / succeeded / failed / retried and their wait; ready for the task
                 layer, which calls these functions from its signals
- endpoint.py    the /metrics view: a METRICS_TOKEN bearer token, or a direct loopback request

Labels only ever hold names from our own code (route names, event types, task names, outcomes), never
anything a member typed. With several server processes (uvicorn --workers), set PROMETHEUS_MULTIPROC_DIR to
an empty directory before they start: each process writes its figures there and /metrics adds them up.
"""

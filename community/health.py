"""`/healthz`: whether this server process can reach the database and Redis (503 when it cannot), and how
the task queue is doing (community.queue_health)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from community.queue_health import task_queue_status


def healthz(request):
    """Database and Redis reachability for load balancers; 503 when the database is down."""

    status = {"database": "ok", "redis": "not configured"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"], code = "unreachable", 503
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
            status["redis"] = "ok"
        except Exception:
            # Live updates pause without Redis but pages keep working: degraded, not down.
            status["redis"] = "unreachable"
    tasks = task_queue_status()
    status["broker"] = tasks.pop("broker")
    status["tasks"] = tasks
    if code != 200:
        status["status"] = "down"
    else:
        # A broker that is down or a queue that stopped draining delays emails, not pages: degraded.
        troubled = status["redis"] == "unreachable" or status["broker"] == "unreachable" or tasks["stalled"]
        status["status"] = "degraded" if troubled else "ok"
    response = JsonResponse(status, status=code)
    response["Cache-Control"] = "no-store"
    return response

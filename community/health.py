"""`/healthz`: whether this server process can reach the database and Redis (503 when it cannot)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


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
    if code != 200:
        status["status"] = "down"
    else:
        status["status"] = "degraded" if status["redis"] == "unreachable" else "ok"
    response = JsonResponse(status, status=code)
    response["Cache-Control"] = "no-store"
    return response

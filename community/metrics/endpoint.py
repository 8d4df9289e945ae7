"""GET /metrics for Prometheus: with `Authorization: Bearer <METRICS_TOKEN>`, or from the machine itself
(a loopback address, no proxy in between) when METRICS_ALLOW_LOOPBACK is on. Everyone else gets 401 (no
token given) or 403 (a wrong one, or no token configured)."""

import ipaddress
import os
import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

# A proxy on this machine makes every visitor look local: requests it forwarded never count as loopback.
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
LIVE_GAUGE_FILE = re.compile(r"^gauge_live\w*?_(\d+)\.db$")


def _is_loopback(request) -> bool:
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def refusal(request) -> HttpResponse | None:
    """None when `request` may read the metrics, else the response that says why not."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if given:
        scheme, _, value = given.partition(" ")
        if token and scheme.lower() == "bearer" and constant_time_compare(value.strip(), token):
            return None
        return _text("That token does not open the metrics.\n", 403)
    if settings.METRICS_ALLOW_LOOPBACK and _is_loopback(request):
        return None
    if not token:
        return _text("Metrics are served only on this machine's loopback address.\n", 403)
    response = _text("Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.\n", 401)
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def _text(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def collector_registry(directory: str | None = None):
    """This process's figures, or with PROMETHEUS_MULTIPROC_DIR every server process's, added up. Processes
    that have exited lose their open-socket gauges (their counters still count)."""
    directory = directory or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return REGISTRY
    for path in Path(directory).iterdir():
        match = LIVE_GAUGE_FILE.match(path.name)
        if match and not _alive(int(match.group(1))):
            multiprocess.mark_process_dead(int(match.group(1)), directory)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry


@require_GET
def metrics(request):
    refused = refusal(request)
    if refused is not None:
        return refused
    response = HttpResponse(generate_latest(collector_registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response

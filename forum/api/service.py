"""The read API's HTTP behaviour, the same for every path: a per-client rate limit (forum.safety.ratelimit, the
cache-based limiter members' actions use), an ETag on every 200 answered with 304 when the client already
has it, and errors as {"detail": "..."}. It reads as a visitor, whatever cookies arrive, so any response
may be shared and cached."""

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from forum.api.paging import BadCursor
from forum.safety import ratelimit


class PerClientLimit(BaseThrottle):
    """API_RATE_LIMIT requests per client address. Behind a proxy, the server must put the client's address
    in REMOTE_ADDR (uvicorn --proxy-headers --forwarded-allow-ips=<proxy>)."""

    def allow_request(self, request) -> bool:
        refused = ratelimit.take_for_client(
            request.META.get("REMOTE_ADDR", ""), "api", settings.API_RATE_LIMIT
        )
        request.api_rate_limited = refused
        return refused is None

    def wait(self):
        return None  # Retry-After comes from the refusal itself (too_many_requests below)


class ReadAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Anyone may read it from any page: the API shows only public content and never reads cookies.
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return get_conditional_response(request, etag=etag, response=response)


def too_many_requests(request, exc):
    refused = getattr(request, "api_rate_limited", None)
    retry_after = refused.retry_after if refused else 60
    text = ratelimit.message(refused) if refused else "Too many requests. Please try again later."
    response = api.create_response(request, {"detail": text}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def not_found(request, *args, **kwargs):
    """Any address under the API that is none of its paths; counted against the client's limit too."""
    return api.create_response(
        request, {"detail": "There is no such path in this API: see /api/v1/openapi.json."}, status=404
    )


def bad_cursor(request, exc):
    text = "This cursor is not one this list gave out. Start again without it, then follow next_cursor."
    return api.create_response(request, {"detail": text}, status=400)


api = ReadAPI(
    title="Health Community read API",
    version="1",
    description=(
        "Public questions, answers, categories, tags, verified experts and featured expert answers, as any "
        "visitor sees them. Read only. Lists page with `cursor` (the previous page's `next_cursor`). Every "
        "200 carries an ETag: send it back in If-None-Match to get 304. Requests are limited per client "
        "(429 with Retry-After). Nothing here is medical advice."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads its scripts from a CDN, which the site's CSP forbids
    throttle=[PerClientLimit()],
)
api.add_exception_handler(Throttled, too_many_requests)
api.add_exception_handler(BadCursor, bad_cursor)

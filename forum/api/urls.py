"""The read API under /api/v1/ (community/urls.py includes it): the paths of forum.api.endpoints, the
generated OpenAPI 3 document at /api/v1/openapi.json, and a JSON 404 for any other address below it (an id
that is not a number included), so API clients never get an HTML page."""

from django.urls import re_path

from forum.api import endpoints  # noqa: F401  registers the paths on the API
from forum.api.service import api, not_found

app_name = api.urls_namespace  # ninja reverses its own paths in this namespace
urlpatterns = [*api.urls[0], re_path(r"^.*$", not_found, name="not_found")]

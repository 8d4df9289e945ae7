"""The read API under /api/v1/ (community/urls.py includes it): the paths of forum.api.endpoints and the
generated OpenAPI 3 document at /api/v1/openapi.json."""

from . import endpoints  # noqa: F401  registers the paths on the API
from .service import api

app_name = api.urls_namespace  # ninja reverses its own paths in this namespace
urlpatterns = api.urls[0]

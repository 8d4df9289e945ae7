"""ASGI entry point: HTTP goes to Django, WebSockets to the live-update consumers (session auth,
origin checked against ALLOWED_HOSTS). HTTP uses community.handler's ASGIHandler: Django's, with the request
run in one thread switch."""

import os

from community.handler import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from community.metrics.websockets import CountWebSockets  # noqa: E402
from forum.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": CountWebSockets(  # open sockets per process, for /metrics
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

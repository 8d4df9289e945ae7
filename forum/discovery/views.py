"""robots.txt, the web app manifest, the service worker and the offline page.

None of them depends on who is asking, and none carries health content: the service worker keeps only the
offline page and what it needs to look right (its stylesheet and icon), and shows it when a page cannot be
loaded; it never stores a page, an answer or an API response.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from community.site import absolute_url
from forum.discovery.icons import ICONS

THEME_COLOR = "#0f766e"  # the site's teal accent (static/css/site.css)
BACKGROUND_COLOR = "#ffffff"

# Pages that are never public or only repeat other pages; crawlers need not ask for them (the pages say
# noindex too, which is what keeps them out of results: forum.discovery.indexing).
ROBOTS_DISALLOWED = [
    ("admin:index", []),
    ("account_login", []),
    ("accounts:profile_edit", []),
    ("forum:ask", []),
    ("forum:search", []),
    ("forum:markdown_preview", []),
    ("forum:moderation_queue", []),
    ("notifications:centre", []),
    ("forum:notices", []),
    ("forum:awaiting_expert", []),
]


def _disallowed_paths() -> list[str]:
    paths = []
    for name, args in ROBOTS_DISALLOWED:
        path = reverse(name, args=args)
        if name == "account_login":  # every allauth page, not just the login
            path = path.rsplit("/", 2)[0] + "/"
        paths.append(path)
    paths += ["/appeals/", "/votes/", "/flag/"]  # forms and threads that only members reach
    return paths


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in _disallowed_paths()]
    lines += ["Allow: /", "", f"Sitemap: {absolute_url(reverse('discovery:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def manifest_data() -> dict:
    return {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME if len(settings.SITE_NAME) <= 12 else settings.SITE_NAME.split()[0],
        "description": "Health questions answered by the community and verified experts. Not medical advice.",
        "lang": "en",
        "dir": "ltr",
        "start_url": reverse("forum:home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "categories": ["health", "medical"],
        "icons": [
            {
                "src": static(f"img/icons/{name}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose in ICONS
            if name != "apple-touch-icon.png"  # linked from the page for iOS, which ignores the manifest's
        ],
    }


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    return HttpResponse(json.dumps(manifest_data(), indent=2), content_type="application/manifest+json")


def _offline_context() -> dict:
    return {"SITE_NAME": settings.SITE_NAME}


def offline_assets() -> list[str]:
    """What the service worker keeps: the offline page and what it shows, nothing else."""
    return [reverse("discovery:offline"), static("css/site.css"), static("img/favicon.svg")]


@require_GET
@cache_control(no_cache=True)  # browsers check for a new worker on every visit
def service_worker(request):
    assets = offline_assets()
    # A new cache name whenever the offline page or its static files change (hashed names in production).
    version = hashlib.sha256(
        (render_to_string("discovery/offline.html", _offline_context()) + "|".join(assets)).encode()
    ).hexdigest()[:12]
    body = render_to_string(
        "discovery/sw.js",
        {"cache_name": f"offline-{version}", "assets_json": json.dumps(assets), "offline_url": assets[0]},
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """Shown by the service worker when a page cannot be loaded; the same for everyone (no header with a
    member's name, no form, no token), because the browser keeps it."""
    return render(request, "discovery/offline.html", _offline_context())

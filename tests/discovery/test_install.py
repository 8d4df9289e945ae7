"""Installable on a phone: the manifest and its icons, the service worker and the offline page, over HTTP.
(The browser test in tests/browser/test_install_browser.py registers the worker and cuts the network.)"""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from forum.discovery.icons import ICONS, draw_icon
from tests.discovery.conftest import link_hrefs

pytestmark = pytest.mark.django_db


def test_the_manifest_describes_an_installable_app(client, settings):
    response = client.get(reverse("discovery:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.SITE_NAME
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    # What Chromium needs to offer "Install": a 192 and a 512 px icon; a maskable one for Android launchers.
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_icon_is_a_png_of_the_size_it_claims_and_matches_its_drawing(client):
    manifest = json.loads(client.get(reverse("discovery:manifest")).content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
    for name, size, purpose in ICONS:  # the committed files are what forum.discovery.icons draws
        with Image.open(finders.find(f"img/icons/{name}")) as committed:
            assert committed.convert("RGBA").tobytes() == draw_icon(size, purpose).tobytes(), name


def test_every_page_links_the_manifest_and_the_service_worker(client, world):
    html = client.get(world.public.get_absolute_url()).content.decode()
    assert link_hrefs(html, "manifest") == [reverse("discovery:manifest")]
    assert f'data-service-worker="{reverse("discovery:service_worker")}"' in html


def test_the_service_worker_keeps_only_the_offline_page_and_its_assets(client):
    response = client.get(reverse("discovery:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]  # a new worker is picked up on the next visit
    script = response.content.decode()
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", script).group(1))
    assert assets == [reverse("discovery:offline"), "/static/css/site.css", "/static/img/favicon.svg"]
    # Nothing but the install step writes to the cache: no cache.put, no caching of fetched pages.
    assert "cache.put" not in script and ".put(" not in script
    assert script.count("addAll(") == 1


def test_the_offline_page_says_a_connection_is_needed_and_is_the_same_for_everyone(client, world):
    visitor = client.get(reverse("discovery:offline"))
    assert visitor.status_code == 200
    html = visitor.content.decode()
    assert "You are offline" in html
    assert "needs an internet connection" in html
    assert "emergency" in html
    client.force_login(world.named_author)
    member = client.get(reverse("discovery:offline")).content.decode()
    assert member == html  # no name, no token, no personal part: the browser keeps it
    assert "Priya Public" not in member and "csrf" not in member.lower()


def test_the_content_security_policy_allows_the_worker_and_the_manifest(client):
    policy = client.get(reverse("forum:home"))["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }
    # worker-src falls back to script-src, manifest-src to default-src: both must allow this site.
    worker = directives.get("worker-src") or directives.get("child-src") or directives["script-src"]
    assert "'self'" in worker
    assert "'self'" in (directives.get("manifest-src") or directives["default-src"])
    assert "'unsafe-inline'" not in directives["script-src"]

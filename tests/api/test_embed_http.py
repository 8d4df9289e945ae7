"""The "Ask our experts" box over HTTP: who may frame it (CSP frame-ancestors, on the box only), no cookies,
nothing loaded from elsewhere, links into the site in a new tab, and a clear message for a wrong topic."""

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLISHER = "https://news.example"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))


def test_only_the_box_may_be_framed_and_only_by_the_allowed_origins(client, world, settings):
    settings.EMBED_ALLOWED_ORIGINS = [PUBLISHER, "http://127.0.0.1:9999"]
    box = client.get("/embed/experts/?category=mental-health")
    assert box.status_code == 200
    assert frame_ancestors(box) == f"frame-ancestors 'self' {PUBLISHER} http://127.0.0.1:9999"
    assert "X-Frame-Options" not in box.headers
    for path in [
        "/",
        "/embed/demo/",
        "/embed/experts/items/",
        "/api/v1/categories",
        f"/q/{world.question.pk}/",
    ]:
        response = client.get(path, follow=True)
        assert frame_ancestors(response) == "frame-ancestors 'none'", path


def test_with_no_origins_allowed_only_the_site_itself_may_frame_the_box(client, world, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    assert frame_ancestors(client.get("/embed/experts/")) == "frame-ancestors 'self'"


def test_an_origin_setting_that_is_not_an_origin_cannot_change_the_policy(client, world, settings):
    settings.EMBED_ALLOWED_ORIGINS = [
        PUBLISHER,
        "https://x.example; script-src *",
        "https://y.example/path",
        "*",
    ]
    box = client.get("/embed/experts/")
    assert frame_ancestors(box) == f"frame-ancestors 'self' {PUBLISHER}"
    assert "script-src *" not in box["Content-Security-Policy"]


def test_the_box_sets_no_cookies_even_for_a_logged_in_member(client, world):
    for path in ["/embed/experts/", "/embed/experts/items/", "/embed/experts/?tag=sleep"]:
        assert not client.get(path).cookies, path
    client.force_login(world.question.author)
    response = client.get("/embed/experts/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_box_loads_nothing_from_elsewhere_and_links_into_the_site_in_a_new_tab(client, world):
    html = client.get("/embed/experts/?category=mental-health").content.decode()
    loaded = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>', html)
    assert links and all(url.startswith("/") and not url.startswith("//") for url in links), links
    assert all('target="_blank"' in tag and 'rel="noopener"' in tag for tag in re.findall(r"<a [^>]+>", html))
    assert "Ask your question" in html and "Read more" in html
    assert world.featured.get_absolute_url() in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html


def test_the_box_shows_the_featured_answers_of_its_topic(client, world):
    sleep = client.get("/embed/experts/?tag=sleep").content.decode()
    assert world.question.title in sleep and world.anonymous_question.title not in sleep
    living = client.get("/embed/experts/?category=living-well").content.decode()
    assert world.anonymous_question.title in living and world.question.title not in living
    assert "Anonymous member" not in living  # the expert answered: the expert is named


def test_a_topic_that_does_not_exist_is_a_clear_message(client, world, settings):
    settings.EMBED_ALLOWED_ORIGINS = [PUBLISHER]
    response = client.get("/embed/experts/?category=no-such-topic")
    assert response.status_code == 404
    assert "category that does not exist" in response.content.decode()


def test_a_topic_with_nothing_featured_says_so(client, world):
    html = client.get("/embed/experts/?category=diet-fitness").content.decode()
    assert "No featured expert answers here yet" in html


def test_the_box_follows_the_public_streams_of_what_it_shows(client, world):
    html = client.get("/embed/experts/?tag=sleep").content.decode()
    assert f'data-streams="feed.home question.{world.question.pk}"' in html
    assert 'data-items-url="/embed/experts/items/?tag=sleep"' in html


def test_the_demo_article_embeds_the_box(client, world):
    html = client.get("/embed/demo/").content.decode()
    assert '<iframe class="expert-box" src="/embed/experts/"' in html
    assert "&lt;iframe src=" in html  # the snippet to copy, shown as text

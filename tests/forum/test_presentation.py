"""What people see around the content: relative times, the Markdown preview, error pages, the favicon."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from forum.templatetags.when import ago, when
from tests.factories import QuestionFactory

STATIC = Path(settings.BASE_DIR) / "static"


@pytest.mark.parametrize(
    ("age", "reads"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=3, seconds=10), "3\xa0minutes ago"),
        (timedelta(hours=5, minutes=40), "5\xa0hours ago"),
        (timedelta(days=2, hours=3), "2\xa0days ago"),
    ],
)
def test_times_read_as_one_unit_ago(age, reads):
    assert ago(timezone.now() - age) == reads


def test_time_tag_carries_the_exact_time_for_hover_and_machines():
    moment = timezone.now() - timedelta(minutes=3)
    html = when(moment)
    assert f'datetime="{moment.isoformat()}"' in html
    assert f'title="{timezone.localtime(moment):%-d %B %Y, %H:%M}' in html
    assert ">3\xa0minutes ago</time>" in html


@pytest.mark.django_db
def test_question_list_shows_relative_times(client):
    QuestionFactory(approved_at=timezone.now() - timedelta(minutes=3))
    page = client.get("/").content.decode()
    assert "3\xa0minutes ago" in page or "3&nbsp;minutes ago" in page


@pytest.mark.django_db
def test_markdown_preview_returns_the_sanitized_html_a_post_would_store(member_client):
    response = member_client.post(
        reverse("forum:markdown_preview"), {"body": "**Sleep** first\n\n<script>alert(1)</script>"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Sleep</strong>" in html
    assert "<script" not in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_markdown_preview_is_for_members_only(client):
    response = client.post(reverse("forum:markdown_preview"), {"body": "hello"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_markdown_preview_needs_the_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post(reverse("forum:markdown_preview"), {"body": "hello"}).status_code == 403


@pytest.mark.django_db
def test_markdown_preview_refuses_bodies_longer_than_a_post_and_gets(member_client):
    too_long = member_client.post(reverse("forum:markdown_preview"), {"body": "a" * 20001})
    assert too_long.status_code == 400
    assert "under 20000 characters" in too_long.content.decode()
    assert member_client.get(reverse("forum:markdown_preview")).status_code == 405


@pytest.mark.django_db
def test_missing_page_is_the_styled_404_with_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page
    assert 'href="/"' in page and "Search questions" in page


@pytest.mark.django_db
def test_forbidden_page_is_the_styled_403_saying_why(member_client, settings):
    settings.DEBUG = False
    response = member_client.get(reverse("forum:moderation_queue"))
    assert response.status_code == 403
    assert "You can\u2019t do that here" in response.content.decode()


def test_server_error_page_renders_without_request_context_or_database(rf):
    # No `db` fixture: any database query here would raise. Django's handler renders with an empty context.
    response = server_error(rf.get("/boom/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "/static/css/site.css" in html


def test_favicon_and_all_assets_are_local():
    assert (STATIC / "img" / "favicon.svg").read_text().startswith("<svg")
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    for template in [base, *(p.read_text() for p in (STATIC / "css").glob("*.css"))]:
        assert "//cdn" not in template and "https://" not in template.replace("https://www.w3.org", "")

"""sitemap.xml and robots.txt as a search engine reads them."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from forum.discovery.sitemaps import QuestionSitemap
from forum.models import Status
from tests.discovery.conftest import question, xml_urls
from tests.factories import make_expert

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def entries(client, url: str) -> dict[str, str | None]:
    """{loc: lastmod} of one sitemap page (a URL from the index: SITE_URL + path)."""
    response = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    return {
        u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
        for u in root.findall("s:url", NS)
    }


def index(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return xml_urls(response.content.decode())


def test_the_index_lists_every_section_on_the_sites_own_address(client, settings):
    question("Why do my knees ache after running")
    sections = index(client)
    assert sections == [
        f"{settings.SITE_URL}/sitemap-{s}.xml"
        for s in ("pages", "questions", "categories", "tags", "experts")
    ]


def test_public_questions_are_listed_with_their_last_activity(client, settings, world):
    found = entries(client, f"{settings.SITE_URL}/sitemap-questions.xml")
    public = settings.SITE_URL + world.public.get_absolute_url()
    assert public in found
    assert found[public] == world.public.last_activity_at.date().isoformat()
    assert settings.SITE_URL + world.private[0].get_absolute_url() not in found  # pending
    assert len(found) == 3  # the public, the anonymous and the expert's anonymous question


def test_past_the_limit_questions_are_split_into_pages(client, settings, monkeypatch):
    monkeypatch.setattr(QuestionSitemap, "limit", 2)  # 50,000 in production
    made = [question(f"Question number {n} about headaches") for n in range(5)]
    question("Pending question about headaches", status=Status.PENDING)
    sections = index(client)
    base = f"{settings.SITE_URL}/sitemap-questions.xml"
    assert [s for s in sections if s.startswith(base)] == [base, f"{base}?p=2", f"{base}?p=3"]
    listed = [loc for page in (base, f"{base}?p=2", f"{base}?p=3") for loc in entries(client, page)]
    assert listed == [settings.SITE_URL + q.get_absolute_url() for q in made]
    assert client.get("/sitemap-questions.xml?p=4").status_code == 404


def test_tags_and_experts_are_listed_only_when_public(client, settings, world):
    tags = entries(client, f"{settings.SITE_URL}/sitemap-tags.xml")
    assert sorted(tags) == sorted(
        settings.SITE_URL + reverse("forum:tag", args=[t]) for t in ("running", "knees", "dizziness")
    )
    assert all(tags.values())  # each with the date of its newest public question
    make_expert(display_name="Dr. Expired", days_left=-1)
    experts = entries(client, f"{settings.SITE_URL}/sitemap-experts.xml")
    assert sorted(experts) == sorted(
        settings.SITE_URL + u.get_absolute_url() for u in (world.expert, world.anonymous_expert)
    )
    # members who are not experts are not listed
    assert settings.SITE_URL + world.named_author.get_absolute_url() not in experts


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_private_pages(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    for private in ("/moderation/", "/notifications/", "/members/me/", "/accounts/", "/ask/", "/admin/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /" not in lines  # public pages stay open

"""What every page tells search engines and link previews: a canonical link on SITE_URL, `noindex` on
pending, personal and moderation pages, OpenGraph and Twitter card tags on public pages, and links to the
page's feeds."""

import pytest
from django.urls import reverse

from tests.discovery.conftest import link_hrefs, metadata, robots
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_page_has_one_canonical_link_on_the_sites_address(client, settings, world):
    home = page(client, reverse("forum:home") + "?utm_source=newsletter")
    assert link_hrefs(home, "canonical") == [f"{settings.SITE_URL}/"]
    listed = page(client, reverse("forum:category", args=["living-well"]) + "?before=123_4&x=1")
    assert link_hrefs(listed, "canonical") == [f"{settings.SITE_URL}/c/living-well/?before=123_4"]
    short = client.get(reverse("forum:question_short", args=[world.public.pk]), follow=True)
    assert link_hrefs(short.content.decode(), "canonical") == [
        settings.SITE_URL + world.public.get_absolute_url()
    ]
    client.force_login(world.named_author)
    for url in (reverse("notifications:centre"), reverse("accounts:profile_edit"), reverse("forum:ask")):
        assert link_hrefs(page(client, url), "canonical") == [settings.SITE_URL + url]


@pytest.mark.parametrize(
    "url_of",
    [
        lambda w: reverse("forum:home"),
        lambda w: w.public.get_absolute_url(),
        lambda w: reverse("forum:category", args=["living-well"]),
        lambda w: reverse("forum:tag", args=["running"]),
        lambda w: reverse("forum:expert_qa"),
        lambda w: reverse("people:experts"),
        lambda w: w.expert.get_absolute_url(),
        lambda w: reverse("forum:terms"),
    ],
    ids=["home", "question", "category", "tag", "expert-qa", "experts", "expert-profile", "terms"],
)
def test_public_pages_may_be_indexed_and_have_link_previews(client, settings, world, url_of):
    html = page(client, url_of(world))
    assert robots(html) == ""
    found = metadata(html)
    for key in (
        "og:title",
        "og:description",
        "og:url",
        "og:image",
        "og:type",
        "twitter:card",
        "twitter:title",
    ):
        assert found.meta.get(key), key
    assert found.meta["og:url"] == link_hrefs(html, "canonical")
    assert found.meta["og:image"][0].startswith(settings.SITE_URL + "/")


def test_a_question_preview_shows_its_title_and_the_start_of_its_text(client, world):
    found = metadata(page(client, world.public.get_absolute_url())).meta
    assert found["og:title"] == [world.public.title]
    assert found["twitter:title"] == [world.public.title]
    assert found["og:description"] == [world.public.body]
    assert found["og:type"] == ["article"]


def test_pending_personal_and_moderation_pages_say_noindex(client, world):
    pending = world.private[0]
    client.force_login(pending.author)
    assert robots(page(client, pending.get_absolute_url())) == "noindex"  # the author's own, awaiting review
    for url in (
        reverse("notifications:centre"),
        reverse("forum:notices"),
        reverse("forum:ask"),
        reverse("accounts:profile_edit"),
        reverse("forum:search") + "?q=knees",
        reverse("people:profile", args=[world.named_author.pk]),  # a member's profile is personal
    ):
        assert robots(page(client, url)) == "noindex", url
    client.force_login(make_moderator())
    hidden = world.private[2]  # a moderator still sees a hidden question
    for url in (
        hidden.get_absolute_url(),
        reverse("forum:moderation_queue"),
        reverse("forum:audit_log"),
        reverse("forum:flagged"),
    ):
        assert robots(page(client, url)) == "noindex", url
    client.logout()
    assert robots(page(client, reverse("account_login"))) == "noindex"


def test_pages_link_to_their_feeds(client, settings, world):
    def alternates(url):
        return {
            (link["type"], link["href"])
            for link in metadata(page(client, url)).links
            if link.get("rel") == "alternate"
        }

    site = settings.SITE_URL
    expected = {
        reverse("forum:home"): "/feeds/questions/",
        reverse("forum:category", args=["living-well"]): "/feeds/c/living-well/",
        reverse("forum:tag", args=["running"]): "/feeds/tags/running/",
        reverse("forum:expert_qa"): "/feeds/expert-answers/",
        world.expert.get_absolute_url(): f"/feeds/experts/{world.expert.pk}/",
    }
    for url, feed in expected.items():
        assert alternates(url) == {
            ("application/rss+xml", site + feed),
            ("application/atom+xml", site + feed + "atom/"),
        }, url
        assert client.get(feed).status_code == 200
    assert alternates(world.public.get_absolute_url()) == set()


def test_error_pages_say_noindex_and_still_render(client, world):
    for url in (
        reverse("forum:category", args=["no-such-category"]),
        reverse("forum:question", args=[999999, "gone"]),
        reverse("forum:tag", args=["no-such-tag"]),
        reverse("people:profile", args=[999999]),
        world.private[2].get_absolute_url(),  # hidden: a 404 for visitors
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert robots(html) == "noindex", url
        assert "og:title" not in metadata(html).meta

"""Nothing non-public reaches any output of forum.discovery: pending, rejected, hidden and deleted questions
and answers (titles, bodies, slugs, their only tags) and anonymous askers' names are planted beside public
content, and every sitemap page, every feed (RSS and Atom) and the metadata of every public page (canonical,
OpenGraph, Twitter card, feed links, JSON-LD) is searched for them, as a visitor, the asker, a member and a
moderator see those pages."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Category
from tests.discovery.conftest import EXPERT_ASKER_NAME, SECRETS, metadata, preview_text, robots, xml_urls
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db

PUBLIC_TAGS = ["running", "knees", "dizziness"]  # tags of the world's public questions
PRIVATE_TAGS = ["sleep", SECRETS["tag only on a pending question"]]  # only on questions that are not public


def sitemap_outputs(client) -> dict[str, str]:
    index = client.get(reverse("discovery:sitemap")).content.decode()
    outputs = {"sitemap.xml": index}
    for url in xml_urls(index):
        path = url.split("://", 1)[1].split("/", 1)[1]
        outputs[url] = client.get("/" + path).content.decode()
    return outputs


def feed_outputs(client, world) -> dict[str, str]:
    feeds = [("discovery:feed_questions", []), ("discovery:feed_featured", [])]
    feeds += [("discovery:feed_category", [c.slug]) for c in Category.objects.all()]
    feeds += [("discovery:feed_tag", [slug]) for slug in PUBLIC_TAGS]
    feeds += [("discovery:feed_expert", [e.pk]) for e in (world.expert, world.anonymous_expert)]
    outputs = {}
    for name, args in feeds:
        for variant in (name, f"{name}_atom"):
            url = reverse(variant, args=args)
            response = client.get(url)
            assert response.status_code == 200, url
            outputs[url] = response.content.decode()
    return outputs


def page_outputs(world, viewers: dict[str, Client]) -> dict[str, str]:
    paths = [
        reverse("forum:home"),
        world.public.get_absolute_url(),
        world.anonymous.get_absolute_url(),
        world.expert_own_reply.question.get_absolute_url(),
        reverse("forum:expert_qa"),
        world.expert.get_absolute_url(),
        *(reverse("forum:tag", args=[slug]) for slug in PUBLIC_TAGS),
        *(c.get_absolute_url() for c in Category.objects.all()),
    ]
    outputs = {}
    for who, client in viewers.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            outputs[f"{path} as {who}"] = preview_text(response.content.decode())
    return outputs


def leaks(outputs: dict[str, str]) -> list[str]:
    return [
        f"{what} ({secret!r}) in {where}"
        for where, text in outputs.items()
        for what, secret in SECRETS.items()
        if secret.lower() in text.lower()
    ]


def test_sitemaps_show_nothing_that_is_not_public(world, client):
    outputs = sitemap_outputs(client)
    assert len(outputs) == 6  # the index and its five sections were all read
    assert leaks(outputs) == []
    # and the planted public content is there, so the search above looked at real output
    assert any(world.public.slug in text for text in outputs.values())


def test_feeds_show_nothing_that_is_not_public(world, client):
    outputs = feed_outputs(client, world)
    assert leaks(outputs) == []
    everything = "\n".join(outputs.values())
    assert world.public.title in everything
    assert "Orthostatic hypotension" in everything  # the featured expert answer


@pytest.mark.parametrize("slug", PRIVATE_TAGS)
def test_a_tag_used_only_on_content_that_is_not_public_has_no_feed_and_is_not_indexed(world, client, slug):
    for name in ("discovery:feed_tag", "discovery:feed_tag_atom"):
        assert client.get(reverse(name, args=[slug])).status_code == 404
    page = client.get(reverse("forum:tag", args=[slug])).content.decode()
    assert robots(page) == "noindex"
    assert "og:title" not in metadata(page).meta


def test_an_experts_feed_leaves_out_their_reply_on_the_question_they_asked_anonymously(world, client):
    for name in ("discovery:feed_expert", "discovery:feed_expert_atom"):
        feed = client.get(reverse(name, args=[world.anonymous_expert.pk])).content.decode()
        assert EXPERT_ASKER_NAME in feed  # their feed, under their public name
        assert "night shifts" not in feed
        assert "Blackout curtains" not in feed


def test_page_metadata_shows_nothing_that_is_not_public_to_anyone(world):
    moderator = make_moderator(display_name="Morgan")
    viewers = {"visitor": Client(), "asker": Client(), "expert asker": Client(), "moderator": Client()}
    viewers["asker"].force_login(world.asker)
    viewers["expert asker"].force_login(world.anonymous_expert)
    viewers["moderator"].force_login(moderator)
    outputs = page_outputs(world, viewers)
    assert leaks(outputs) == []
    assert any('"@type": "QAPage"' in text for text in outputs.values())
    own_question = world.expert_own_reply.question.get_absolute_url()
    for who in viewers:
        assert EXPERT_ASKER_NAME not in outputs[f"{own_question} as {who}"]


def test_a_pending_question_page_gives_its_author_no_preview_of_it(world, client):
    pending = world.private[0]
    client.force_login(pending.author)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200  # the author sees their own question awaiting review
    assert SECRETS["pending question"] in response.content.decode()
    page = response.content.decode()
    assert robots(page) == "noindex"
    found = metadata(page)
    assert not [key for key in found.meta if key.startswith(("og:", "twitter:"))]
    assert found.jsonld == []

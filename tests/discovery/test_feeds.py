"""RSS and Atom feeds as a feed reader reads them: well-formed, absolute links on SITE_URL, the right items,
anonymous askers anonymous."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from forum.models import Status
from tests.discovery.conftest import question
from tests.factories import AnswerFactory, category

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, name, args=()) -> list[dict]:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 (our own output)
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "author": item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
        }
        for item in channel.findall("item")
    ]


def atom_entries(client, name, args=()) -> list[dict]:
    response = client.get(reverse(f"{name}_atom", args=args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "author": e.findtext(f"{ATOM}author/{ATOM}name"),
            "author_uri": e.findtext(f"{ATOM}author/{ATOM}uri"),
        }
        for e in feed.findall(f"{ATOM}entry")
    ]


FEEDS = [
    ("discovery:feed_questions", lambda w: []),
    ("discovery:feed_category", lambda w: ["living-well"]),
    ("discovery:feed_tag", lambda w: ["running"]),
    ("discovery:feed_featured", lambda w: []),
    ("discovery:feed_expert", lambda w: [w.expert.pk]),
]


@pytest.mark.parametrize("name,args", FEEDS, ids=[f[0].split(":")[1] for f in FEEDS])
def test_every_feed_in_rss_and_atom_links_absolutely_to_the_site(client, settings, world, name, args):
    rss = rss_items(client, name, args(world))
    atom = atom_entries(client, name, args(world))
    assert rss and len(rss) == len(atom)
    assert [i["link"] for i in rss] == [e["link"] for e in atom]
    assert all(i["link"].startswith(settings.SITE_URL + "/") for i in rss)
    body = client.get(reverse(name, args=args(world))).content.decode()
    assert f'<atom:link href="{settings.SITE_URL}{reverse(name, args=args(world))}" rel="self"' in body


def test_newest_questions_come_first_and_anonymous_askers_stay_anonymous(client, settings, world):
    newest = question("Can stress cause stomach pain", author=world.named_author)
    rss = rss_items(client, "discovery:feed_questions")
    assert rss[0]["title"] == newest.title
    by_title = {i["title"]: i for i in rss}
    assert by_title[world.anonymous.title]["author"] == "Anonymous member"
    assert by_title[world.public.title]["author"] == "Priya Public"
    atom = {e["title"]: e for e in atom_entries(client, "discovery:feed_questions")}
    assert atom[world.anonymous.title]["author"] == "Anonymous member"
    assert atom[world.anonymous.title]["author_uri"] is None  # no link to the asker's profile
    assert atom[world.public.title]["author_uri"] == settings.SITE_URL + world.named_author.get_absolute_url()


def test_a_category_feed_and_a_tag_feed_list_only_their_questions(client, world):
    elsewhere = question("Which vitamins help tiredness", category=category("diet-fitness"))
    living_well = [i["title"] for i in rss_items(client, "discovery:feed_category", ["living-well"])]
    assert living_well == [world.public.title]
    assert elsewhere.title in [
        i["title"] for i in rss_items(client, "discovery:feed_category", ["diet-fitness"])
    ]
    assert [i["title"] for i in rss_items(client, "discovery:feed_tag", ["dizziness"])] == [
        world.anonymous.title
    ]
    assert client.get(reverse("discovery:feed_category", args=["no-such-category"])).status_code == 404


def test_the_featured_feed_lists_featured_answers_of_active_experts(client, settings, world):
    items = rss_items(client, "discovery:feed_featured")
    assert [i["link"] for i in items] == [settings.SITE_URL + world.expert_answer.get_absolute_url()]
    assert items[0]["author"] == "Dr. Ada Okafor"
    assert items[0]["title"] == f"Answer to “{world.anonymous.title}”"


def test_an_experts_feed_has_their_public_answers_and_members_have_none(client, world):
    later = AnswerFactory(question=world.public, author=world.expert, body="Ice after a run can help.")
    AnswerFactory(question=world.public, author=world.expert, status=Status.PENDING, body="Not yet public.")
    items = rss_items(client, "discovery:feed_expert", [world.expert.pk])
    assert [i["link"].rsplit("#", 1)[1] for i in items] == [
        f"answer-{later.pk}",
        f"answer-{world.expert_answer.pk}",
    ]
    for member in (world.named_author, world.asker):
        assert client.get(reverse("discovery:feed_expert", args=[member.pk])).status_code == 404

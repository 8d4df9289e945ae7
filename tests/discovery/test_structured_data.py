"""The QAPage JSON-LD of question pages, validated against the schema.org types it uses and Google's QAPage
requirements.

No validator on PyPI checks schema.org vocabulary offline with confidence, so the vocabulary the page uses
is written down here from schema.org (each type's own properties plus those it inherits: Thing →
CreativeWork → Comment → Question/Answer; Thing → CreativeWork → WebPage → QAPage; Thing → Person) with
each property's expected types, and Google's required and recommended properties from its QAPage
documentation. `validate` reports every property a type does not have, every value of the wrong type,
and every missing required property; a test below shows it catches each kind of mistake.
"""

import json
from datetime import datetime

import pytest
from django.urls import reverse

from tests.discovery.conftest import SECRETS, metadata, question
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db

THING = {"name": "Text", "url": "URL", "description": "Text", "identifier": "Text", "image": "URL"}
CREATIVE_WORK = {
    **THING,
    "text": "Text",
    "author": ("Person", "Organization"),
    "dateCreated": "DateTime",
    "datePublished": "DateTime",
    "dateModified": "DateTime",
    "mainEntity": ("Question",),
    "inLanguage": "Text",
}
COMMENT = {**CREATIVE_WORK, "upvoteCount": "Integer", "downvoteCount": "Integer", "parentItem": ("Question",)}
SCHEMA = {
    "QAPage": CREATIVE_WORK,
    "Question": {
        **COMMENT,
        "answerCount": "Integer",
        "acceptedAnswer": ("Answer",),
        "suggestedAnswer": ("Answer",),
    },
    "Answer": COMMENT,
    "Person": THING,
}
# Google's QAPage documentation: required properties (recommended ones are checked by the tests below).
REQUIRED = {
    "QAPage": {"mainEntity"},
    "Question": {"name", "answerCount"},
    "Answer": {"text"},
    "Person": {"name"},
}


def _check_value(path: str, expected, value, problems: list[str]) -> None:
    if isinstance(expected, tuple):  # a node of one of these types
        if not isinstance(value, dict) or value.get("@type") not in expected:
            problems.append(f"{path}: expected one of {expected}, got {value!r:.60}")
        else:
            validate(value, problems, path)
    elif expected == "Integer":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{path}: expected a non-negative Integer, got {value!r}")
    elif expected == "DateTime":
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            problems.append(f"{path}: expected an ISO 8601 DateTime, got {value!r}")
    elif expected == "URL":
        if not (isinstance(value, str) and value.startswith(("http://", "https://"))):
            problems.append(f"{path}: expected an absolute URL, got {value!r}")
    elif not isinstance(value, str) or not value.strip():
        problems.append(f"{path}: expected non-empty Text, got {value!r}")


def validate(node: dict, problems: list[str] | None = None, path: str = "") -> list[str]:
    problems = [] if problems is None else problems
    kind = node.get("@type")
    if kind not in SCHEMA:
        problems.append(f"{path or '/'}: unknown @type {kind!r}")
        return problems
    for key in REQUIRED[kind] - node.keys():
        problems.append(f"{path}/{kind}: missing required {key}")
    for key, value in node.items():
        if key in ("@context", "@type"):
            continue
        if key not in SCHEMA[kind]:
            problems.append(f"{path}/{kind}: {key} is not a property of {kind}")
            continue
        for i, one in enumerate(value if isinstance(value, list) else [value]):
            _check_value(f"{path}/{kind}.{key}[{i}]", SCHEMA[kind][key], one, problems)
    return problems


def qa_page(client, url) -> dict:
    found = metadata(client.get(url).content.decode()).jsonld
    assert len(found) == 1, "one JSON-LD document per question page"
    return json.loads(found[0])


def test_the_validator_catches_each_kind_of_mistake():
    bad = {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "answerCount": -1,
            "acceptedAnswer": {"@type": "Answer", "text": "", "votes": 3, "url": "/relative"},
            "suggestedAnswer": [{"@type": "Comment", "text": "x"}],
            "dateCreated": "yesterday",
        },
    }
    problems = validate(bad)
    assert "/QAPage.mainEntity[0]/Question: missing required name" in problems
    assert any("answerCount" in p and "-1" in p for p in problems)
    assert any("votes is not a property of Answer" in p for p in problems)
    assert any(".text[0]: expected non-empty Text" in p for p in problems)
    assert any("'/relative'" in p for p in problems)
    assert any("suggestedAnswer" in p and "Comment" in p for p in problems)
    assert any("'yesterday'" in p for p in problems)


def test_a_question_page_describes_the_question_its_accepted_and_suggested_answers(client, settings, world):
    document = qa_page(client, world.public.get_absolute_url())
    assert document["@context"] == "https://schema.org"
    assert validate(document) == []
    question = document["mainEntity"]
    assert question["name"] == world.public.title
    assert question["text"] == world.public.body
    assert question["answerCount"] == 2
    assert question["url"] == settings.SITE_URL + world.public.get_absolute_url()
    assert question["author"] == {
        "@type": "Person",
        "name": "Priya Public",
        "url": settings.SITE_URL + world.named_author.get_absolute_url(),
    }
    accepted = question["acceptedAnswer"]
    assert accepted["text"] == world.accepted.body
    assert accepted["upvoteCount"] == 7
    assert (
        accepted["url"] == f"{settings.SITE_URL}{world.public.get_absolute_url()}#answer-{world.accepted.pk}"
    )
    assert [a["text"] for a in question["suggestedAnswer"]] == [world.suggested.body]
    # Google's recommended properties are all there
    assert {"author", "datePublished", "text", "upvoteCount"} <= question.keys()
    assert {"author", "datePublished", "upvoteCount", "url"} <= accepted.keys()


def test_an_anonymous_askers_question_and_own_reply_carry_no_author(client, world):
    document = qa_page(client, world.anonymous.get_absolute_url())
    assert validate(document) == []
    question = document["mainEntity"]
    assert "author" not in question
    answers = {a["text"]: a for a in question["suggestedAnswer"]}
    assert "author" not in answers[world.asker_reply.body]
    assert answers[world.expert_answer.body]["author"]["name"] == "Dr. Ada Okafor"
    assert SECRETS["anonymous asker's name"] not in json.dumps(document)


def test_a_moderator_and_the_asker_get_the_same_public_document_as_a_visitor(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0  # each built from its own viewer's page, not shared through the cache
    visitor = qa_page(client, world.public.get_absolute_url())
    client.force_login(make_moderator())  # sees the hidden and deleted answers on the page itself
    assert qa_page(client, world.public.get_absolute_url()) == visitor
    client.force_login(world.named_author)
    assert qa_page(client, world.public.get_absolute_url()) == visitor


def test_pages_other_than_public_question_pages_have_no_qa_page(client, world):
    for url in (
        reverse("forum:home"),
        reverse("forum:expert_qa"),
        reverse("forum:question_history", args=[world.public.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert metadata(response.content.decode()).jsonld == []
    client.force_login(world.private[0].author)
    assert metadata(client.get(world.private[0].get_absolute_url()).content.decode()).jsonld == []


def test_a_title_cannot_break_out_of_the_json_ld_element(client):
    title = "Is </script><script>alert(1)</script> <!-- safe & sound?"
    hostile = question(title)
    html = client.get(hostile.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')  # escaped as \u003C
    assert qa_page(client, hostile.get_absolute_url())["mainEntity"]["name"] == title

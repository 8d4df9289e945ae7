"""Plant pending, rejected, hidden and deleted content, an anonymous asker and experts whose verification
ended (tests/api/conftest.py), then read everything the read API and the expert box can show, following
every page and every item, and look for any planted word."""

import json

import pytest

from forum.models import Answer, Question
from tests.api.conftest import SECRETS

pytestmark = pytest.mark.django_db


def _pages(client, path) -> list[str]:
    bodies, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
        cursor = json.loads(response.content)["next_cursor"]
        if not cursor:
            return bodies


def everything_the_api_shows(client, world) -> list[str]:
    bodies = []
    lists = {
        "/api/v1/questions": "question",
        "/api/v1/featured-answers": "answer",
        "/api/v1/tags": "tag",
        "/api/v1/experts": "expert",
    }
    seen = {"question": set(), "answer": set(), "tag": set(), "expert": set(), "category": set()}
    for path, kind in lists.items():
        for body in _pages(client, path):
            bodies.append(body)
            for item in json.loads(body)["items"]:
                seen[kind].add(item.get("slug") or item["id"])
    categories = client.get("/api/v1/categories").content.decode()
    bodies.append(categories)
    seen["category"] = {c["slug"] for c in json.loads(categories)["items"]}
    for slug in seen["category"]:
        bodies.append(client.get(f"/api/v1/categories/{slug}").content.decode())
        bodies += _pages(client, f"/api/v1/questions?category={slug}")
        bodies += _pages(client, f"/api/v1/featured-answers?category={slug}")
        bodies += _pages(client, f"/api/v1/experts?category={slug}")
    for slug in seen["tag"]:
        bodies.append(client.get(f"/api/v1/tags/{slug}").content.decode())
        bodies += _pages(client, f"/api/v1/questions?tag={slug}")
    for pk in seen["question"]:
        bodies.append(client.get(f"/api/v1/questions/{pk}").content.decode())
        for body in _pages(client, f"/api/v1/questions/{pk}/answers"):
            bodies.append(body)
            seen["answer"] |= {a["id"] for a in json.loads(body)["items"]}
    for pk in seen["answer"]:
        bodies.append(client.get(f"/api/v1/answers/{pk}").content.decode())
    for pk in seen["expert"]:
        bodies.append(client.get(f"/api/v1/experts/{pk}").content.decode())
    bodies.append(client.get("/api/v1/openapi.json").content.decode())
    assert world.question.pk in seen["question"] and world.anonymous_question.pk in seen["question"]
    assert world.featured.pk in seen["answer"]
    return bodies


def everything_the_box_shows(client, world) -> list[str]:
    bodies = []
    for query in [
        "",
        "?category=mental-health",
        "?category=living-well",
        "?tag=sleep",
        "?tag=dizziness",
        "?n=10",
    ]:
        for path in ["/embed/experts/", "/embed/experts/items/"]:
            response = client.get(path + query)
            assert response.status_code == 200, path + query
            bodies.append(response.content.decode())
    assert any("Read more" in body and world.question.title in body for body in bodies)
    return bodies


def _leaks(bodies, world) -> dict:
    asker_profile = f"/members/{world.anonymous_asker.pk}/"
    found = {what: word for what, word in SECRETS.items() if any(word in body for body in bodies)}
    if any(asker_profile in body for body in bodies):
        found["anonymous asker's profile link"] = asker_profile
    return found


def test_no_api_output_shows_anything_that_is_not_public(api_client, world):
    assert _leaks(everything_the_api_shows(api_client, world), world) == {}


def test_the_expert_box_shows_nothing_that_is_not_public(client, world):
    assert _leaks(everything_the_box_shows(client, world), world) == {}


def test_planted_items_are_404_when_asked_for_directly(api_client, world):
    for what, pk in world.hidden_ids.items():
        kind = "questions" if what.endswith("question") else "answers"
        assert api_client.get(f"/api/v1/{kind}/{pk}").status_code == 404, what
        if kind == "questions":
            assert api_client.get(f"/api/v1/questions/{pk}/answers").status_code == 404, what
    assert api_client.get(f"/api/v1/tags/{SECRETS['tag only on hidden content']}").status_code == 404


def test_the_search_for_planted_words_would_find_them(world):
    """The check above is not empty: the same words are in the database, in content the public cannot see."""

    texts = " ".join(Question.objects.values_list("title", flat=True)) + " ".join(
        Answer.objects.values_list("body", flat=True)
    )
    assert SECRETS["hidden question"] in texts and SECRETS["deleted answer"] in texts

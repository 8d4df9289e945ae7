"""The read API over HTTP, as a client uses it: each endpoint, keyset paging, ETags and 304, the per-client
rate limit and 429, clear errors, and the generated OpenAPI document."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from community.log_filters import redact_path
from forum.models import Question
from tests.factories import QuestionFactory, UserFactory, category

pytestmark = pytest.mark.django_db


def get(client, path, **headers):
    response = client.get(path, **headers)
    return response, (json.loads(response.content) if response.content else None)


def all_pages(client, path, limit=2) -> list[dict]:
    items, cursor, seen = [], None, 0
    while True:
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response, data = get(client, url)
        assert response.status_code == 200, (url, data)
        assert len(data["items"]) <= limit
        items += data["items"]
        cursor = data["next_cursor"]
        seen += 1
        if not cursor:
            return items
        assert seen < 100


def test_questions_newest_first_across_keyset_pages(api_client, world):
    now = timezone.now()
    made = [QuestionFactory(approved_at=now - timedelta(seconds=i)) for i in range(5)]
    items = all_pages(api_client, "/api/v1/questions")
    ids = [q["id"] for q in items]
    expected = list(
        Question.objects.filter(status="approved")
        .order_by("-approved_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert ids == expected
    assert {q.pk for q in made} <= set(ids)


def test_a_question_published_between_pages_does_not_shift_the_next_page(api_client, world):
    for i in range(4):
        QuestionFactory(approved_at=timezone.now() - timedelta(hours=i + 1))
    _, first = get(api_client, "/api/v1/questions?limit=2")
    QuestionFactory(approved_at=timezone.now())  # newest: belongs on page 1, not inside page 2
    _, second = get(api_client, f"/api/v1/questions?limit=2&cursor={first['next_cursor']}")
    first_ids = [q["id"] for q in first["items"]]
    second_ids = [q["id"] for q in second["items"]]
    assert not set(first_ids) & set(second_ids)
    order = list(
        Question.objects.filter(status="approved")
        .order_by("-approved_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert order.index(second_ids[0]) == order.index(first_ids[-1]) + 1


def test_question_detail_has_text_tags_author_and_public_accepted_answer(api_client, world):
    Question.objects.filter(pk=world.question.pk).update(accepted_answer=world.member_answer)
    response, q = get(api_client, f"/api/v1/questions/{world.question.pk}")
    assert response.status_code == 200
    assert q["title"] == world.question.title
    assert "<p>" in q["body_html"]
    assert q["tags"] == ["anxiety", "sleep"]
    assert q["category"] == "mental-health"
    assert q["author"]["name"] == world.question.author.public_name
    assert q["accepted_answer_id"] == world.member_answer.pk
    assert q["url"].startswith("http") and f"/q/{world.question.pk}/" in q["url"]


def test_an_accepted_answer_that_was_hidden_is_not_named(api_client, world):
    Question.objects.filter(pk=world.question.pk).update(accepted_answer_id=world.hidden_ids["hidden answer"])
    _, q = get(api_client, f"/api/v1/questions/{world.question.pk}")
    assert q["accepted_answer_id"] is None


def test_answers_of_a_question_oldest_first_and_expert_marked(api_client, world):
    items = all_pages(api_client, f"/api/v1/questions/{world.question.pk}/answers")
    assert [a["id"] for a in items][:2] == [world.featured.pk, world.member_answer.pk]
    by_id = {a["id"]: a for a in items}
    expert_answer = by_id[world.featured.pk]
    assert expert_answer["by_verified_expert"] is True
    assert expert_answer["author"]["expert"] == {
        "title": "Mental Health Expert",
        "credentials": "Psychiatrist, Lakeview University Medical School",
    }
    assert expert_answer["featured"] is True
    assert by_id[world.member_answer.pk]["author"]["expert"] is None
    # Former experts' answers stay readable, without any expert badge.
    former = [a for a in items if a["author"] and a["author"]["name"] == "Former expert"]
    assert len(former) == 2
    assert all(a["author"]["expert"] is None and not a["by_verified_expert"] for a in former)


def test_one_answer(api_client, world):
    response, a = get(api_client, f"/api/v1/answers/{world.member_answer.pk}")
    assert response.status_code == 200
    assert a["question_id"] == world.question.pk
    assert a["body_html"].startswith("<p>Writing worries down")


def test_featured_answers_only_by_active_experts_newest_featured_first(api_client, world):
    items = all_pages(api_client, "/api/v1/featured-answers")
    assert len(items) == 2  # the anonymous asker's question's expert answer, then the first one
    assert items[1]["id"] == world.featured.pk
    assert all(a["by_verified_expert"] and a["author"]["expert"] for a in items)
    _, only_sleep = get(api_client, "/api/v1/featured-answers?tag=sleep")
    assert [a["id"] for a in only_sleep["items"]] == [world.featured.pk]
    _, only_living = get(api_client, "/api/v1/featured-answers?category=living-well")
    assert [a["question_id"] for a in only_living["items"]] == [world.anonymous_question.pk]


def test_categories_count_public_questions_only(api_client, world):
    response, data = get(api_client, "/api/v1/categories")
    assert response.status_code == 200
    counts = {c["slug"]: c["question_count"] for c in data["items"]}
    # The public question in mental health; the four planted ones are in it too but do not count.
    assert (
        counts["mental-health"]
        == Question.objects.filter(category__slug="mental-health", status="approved").count()
    )
    _, one = get(api_client, "/api/v1/categories/living-well")
    assert one["question_count"] == 1 and one["name"] == "Living Well"


def test_tags_of_public_questions_with_counts(api_client, world):
    items = all_pages(api_client, "/api/v1/tags")
    assert {t["slug"]: t["question_count"] for t in items} == {"anxiety": 1, "dizziness": 1, "sleep": 1}
    response, tag = get(api_client, "/api/v1/tags/sleep")
    assert response.status_code == 200 and tag["question_count"] == 1


def test_experts_lists_only_active_verified_experts(api_client, world):
    items = all_pages(api_client, "/api/v1/experts")
    assert [e["id"] for e in items] == [world.expert.pk]
    assert items[0]["specialties"] == ["mental-health"]
    assert items[0]["answer_count"] == 2  # public answers only: the planted ones do not count
    response, one = get(api_client, f"/api/v1/experts/{world.expert.pk}")
    assert response.status_code == 200 and one["title"] == "Mental Health Expert"
    response, _ = get(api_client, f"/api/v1/experts/{world.member_answer.author_id}")
    assert response.status_code == 404
    _, none_here = get(api_client, "/api/v1/experts?category=diet-fitness")
    assert none_here["items"] == []


def test_anonymous_askers_have_no_author_on_their_question_or_their_own_answers(api_client, world):
    _, q = get(api_client, f"/api/v1/questions/{world.anonymous_question.pk}")
    assert q["author"] is None and q["anonymous"] is True
    _, answers = get(api_client, f"/api/v1/questions/{world.anonymous_question.pk}/answers")
    own = [a for a in answers["items"] if a["anonymous"]]
    assert len(own) == 1 and own[0]["author"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/questions",
        "/api/v1/featured-answers",
        "/api/v1/categories",
        "/api/v1/tags",
        "/api/v1/experts",
        "/api/v1/questions/{question}",
        "/api/v1/questions/{question}/answers",
        "/api/v1/answers/{answer}",
        "/api/v1/categories/mental-health",
        "/api/v1/tags/sleep",
        "/api/v1/experts/{expert}",
    ],
)
def test_every_endpoint_answers_304_to_its_own_etag(api_client, world, path):
    path = path.format(question=world.question.pk, answer=world.featured.pk, expert=world.expert.pk)
    first = api_client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]
    again = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = api_client.get(path, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_the_etag_changes_when_what_it_describes_changes(api_client, world):
    path = f"/api/v1/questions/{world.question.pk}"
    etag = api_client.get(path)["ETag"]
    Question.objects.filter(pk=world.question.pk).update(score=7)
    changed = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert json.loads(changed.content)["score"] == 7


def test_each_client_is_limited_and_told_when_to_come_back(client, world, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/categories", REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get("/api/v1/categories", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "limit of 3 requests per 60 seconds" in json.loads(refused.content)["detail"]
    # A 304 costs a request too, and another client has its own allowance.
    assert client.get("/api/v1/categories", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_unknown_items_and_filters_are_404_with_a_message(api_client, world):
    for path in [
        "/api/v1/questions/999999",
        "/api/v1/answers/999999",
        "/api/v1/categories/no-such-thing",
        "/api/v1/tags/no-such-thing",
        "/api/v1/questions?category=no-such-thing",
        "/api/v1/featured-answers?tag=no-such-thing",
    ]:
        response, data = get(api_client, path)
        assert response.status_code == 404, path
        assert "no public" in data["detail"].lower()


@pytest.mark.parametrize("cursor", ["zzz", "W10", "WyJ4Il0", "WzEsMl0", "eyJ0IjoiYmFkIn0", "x" * 300])
def test_a_cursor_the_api_did_not_give_is_400_with_advice(api_client, world, cursor):
    response, data = get(api_client, f"/api/v1/questions?cursor={cursor}")
    assert response.status_code in (400, 422)
    assert data["detail"]
    if response.status_code == 400:
        assert "next_cursor" in data["detail"]


def test_bad_limits_are_refused_with_the_reason(api_client, world):
    response, data = get(api_client, "/api/v1/questions?limit=500")
    assert response.status_code == 422
    assert "less than or equal to 50" in json.dumps(data)


def test_the_api_reads_as_a_visitor_even_for_a_logged_in_member(client, world, settings):
    settings.API_RATE_LIMIT = "10000/m"
    author = UserFactory()
    own = QuestionFactory(author=author, status="pending", title="My own pending question")
    client.force_login(author)
    _, data = get(client, "/api/v1/questions?limit=50")
    assert own.pk not in [q["id"] for q in data["items"]]
    assert get(client, f"/api/v1/questions/{own.pk}")[0].status_code == 404


def test_no_writes(api_client, world):
    for path in ["/api/v1/questions", f"/api/v1/questions/{world.question.pk}", "/api/v1/featured-answers"]:
        assert api_client.post(path, {}).status_code == 405
        assert api_client.delete(path).status_code == 405


def test_any_page_may_read_it(api_client, world):
    response = api_client.get("/api/v1/categories", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def test_the_openapi_document_describes_every_path_from_the_code(api_client, world):
    response, doc = get(api_client, "/api/v1/openapi.json")
    assert response.status_code == 200
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/v1/questions",
        "/api/v1/questions/{question_id}",
        "/api/v1/questions/{question_id}/answers",
        "/api/v1/answers/{answer_id}",
        "/api/v1/featured-answers",
        "/api/v1/categories",
        "/api/v1/categories/{slug}",
        "/api/v1/tags",
        "/api/v1/tags/{slug}",
        "/api/v1/experts",
        "/api/v1/experts/{expert_id}",
    }
    assert all(set(ops) == {"get"} for ops in doc["paths"].values())
    questions = doc["paths"]["/api/v1/questions"]["get"]["responses"]
    assert {"200", "304", "400", "404", "422", "429"} <= set(questions)


def test_a_list_page_costs_the_same_queries_however_long(api_client, world, django_assert_max_num_queries):
    for i in range(30):
        QuestionFactory(approved_at=timezone.now() - timedelta(minutes=i), category=category("living-well"))
    with django_assert_max_num_queries(4):
        assert api_client.get("/api/v1/questions?limit=50").status_code == 200
    with django_assert_max_num_queries(3):
        assert api_client.get(f"/api/v1/questions/{world.question.pk}/answers?limit=50").status_code == 200


def test_tag_and_category_slugs_in_api_paths_stay_out_of_the_logs():

    assert redact_path("/api/v1/tags/hiv") == "/api/v1/tags/…"
    assert redact_path("/api/v1/categories/mental-health?limit=2") == "/api/v1/categories/…"

"""/metrics at the HTTP level: who may read it, and that the figures an operator watches move with the
requests they describe, without ever carrying a path, a title or anything else a member wrote."""

import pytest
from django.test import Client
from django.urls import reverse

from community.metrics import tasks
from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory
from tests.metrics.helpers import TOKEN, scrape, value

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.7"  # a documentation address: not this machine


# --- Who may read it -------------------------------------------------------------------------------------------


def test_this_machine_reads_the_metrics_without_a_token(client):
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "hc_http_request_duration_seconds" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_from_outside_without_a_token_the_answer_is_401_with_a_bearer_challenge(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "hc_" not in response.content.decode()


def test_from_outside_a_wrong_token_is_refused_with_403(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer not-the-token")
    assert response.status_code == 403
    assert "hc_" not in response.content.decode()


def test_from_outside_the_right_token_reads_the_metrics(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert "hc_http_request_duration_seconds" in response.content.decode()


def test_without_a_configured_token_no_token_opens_them_from_outside(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_a_request_a_proxy_forwarded_is_not_local_even_from_loopback(client, settings):
    # A reverse proxy on this machine connects from 127.0.0.1 on behalf of anyone on the internet.
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 401
    assert client.get("/metrics", HTTP_X_REAL_IP=OUTSIDE).status_code == 401


def test_behind_a_proxy_loopback_can_be_turned_off(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW_LOOPBACK = False
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_metrics_are_not_kept_by_the_https_redirect_from_an_internal_scraper(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/metrics").status_code == 200
    assert client.get(reverse("forum:home")).status_code == 301  # everything else still goes to https


def test_only_get_is_answered(client):
    assert client.post("/metrics").status_code == 405


# --- The figures move ------------------------------------------------------------------------------------------


def test_a_page_request_moves_its_routes_latency_histogram_and_response_count(client):
    before = scrape()
    assert client.get(reverse("forum:home")).status_code == 200
    after = scrape()
    route = {"route": "forum:home", "method": "GET"}
    assert value(after, "hc_http_request_duration_seconds_count", **route) == (
        value(before, "hc_http_request_duration_seconds_count", **route) + 1
    )
    assert value(after, "hc_http_request_duration_seconds_sum", **route) > value(
        before, "hc_http_request_duration_seconds_sum", **route
    )
    assert value(after, "hc_http_responses_total", status="2xx", **route) == (
        value(before, "hc_http_responses_total", status="2xx", **route) + 1
    )


def test_a_page_that_matches_no_route_counts_as_unmatched_not_by_its_path(client):
    before = scrape()
    assert client.get("/no-such-page-about-diabetes/").status_code == 404
    after = scrape()
    labels = {"route": "unmatched", "method": "GET", "status": "4xx"}
    assert (
        value(after, "hc_http_responses_total", **labels)
        == value(before, "hc_http_responses_total", **labels) + 1
    )
    assert "diabetes" not in after


def test_page_cache_outcomes_give_the_hit_ratio(client):
    url = reverse("forum:home")
    client.get(url)  # fills the cache (or finds it filled)
    before = scrape()
    response = client.get(url)
    assert response.status_code == 200
    after = scrape()
    assert value(after, "hc_page_cache_responses_total", outcome="hit") == (
        value(before, "hc_page_cache_responses_total", outcome="hit") + 1
    )
    # An ETag revalidation counts as its own outcome.
    client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert value(scrape(), "hc_page_cache_responses_total", outcome="304") == (
        value(after, "hc_page_cache_responses_total", outcome="304") + 1
    )


def test_a_members_second_look_at_a_question_reads_its_answers_from_the_cache(member_client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    AnswerFactory(question=question)
    member_client.get(question.get_absolute_url())  # renders and keeps the shared answer copies
    before = scrape()
    assert member_client.get(question.get_absolute_url()).status_code == 200
    after = scrape()
    assert (
        value(after, "hc_shared_parts_total", outcome="hit")
        >= value(before, "hc_shared_parts_total", outcome="hit") + 2
    )
    assert value(after, "hc_shared_parts_total", outcome="miss") == value(
        before, "hc_shared_parts_total", outcome="miss"
    )


def test_no_title_slug_or_author_of_any_question_reaches_the_metrics(client, member, moderator_client):
    # Planted: public, pending, hidden and anonymous questions, each read by someone who may see it.
    planted = [
        QuestionFactory(title="Public worry about night-time tinnitus"),
        QuestionFactory(author=member, title="Pending question about hepatitis", status=Status.PENDING),
        QuestionFactory(title="Hidden question about chlamydia", status=Status.HIDDEN),
        QuestionFactory(author=member, title="Anonymous question about miscarriage", is_anonymous=True),
    ]
    for question in planted:
        assert moderator_client.get(question.get_absolute_url()).status_code == 200
    text = scrape()
    assert value(text, "hc_http_request_duration_seconds_count", route="forum:question", method="GET") >= 4
    for question in planted:
        for word in [
            question.slug,
            question.title,
            *question.title.split()[-2:],
            str(question.author.username),
        ]:
            assert word not in text
    assert member.display_name not in text and member.email not in text


def test_task_counters_are_ready_for_the_task_layer():
    before = scrape()
    tasks.task_queued("accounts.send_email")
    tasks.task_started("accounts.send_email", queued_at=None)
    tasks.task_retried("accounts.send_email")
    tasks.task_succeeded("accounts.send_email")
    tasks.task_failed("accounts.send_email")
    tasks.set_queue_state("celery", length=3, oldest_age_seconds=12.5)
    after = scrape()
    for sample in [
        "hc_tasks_queued_total",
        "hc_tasks_retried_total",
        "hc_tasks_succeeded_total",
        "hc_tasks_failed_total",
    ]:
        assert (
            value(after, sample, task="accounts.send_email")
            == value(before, sample, task="accounts.send_email") + 1
        )
    assert value(after, "hc_task_queue_length", queue="celery") == 3
    assert value(after, "hc_task_queue_oldest_age_seconds", queue="celery") == 12.5


def test_the_metrics_request_itself_is_answered_anonymously_and_sets_no_cookie():
    response = Client().get("/metrics")
    assert not response.cookies

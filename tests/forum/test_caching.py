"""The anonymous page cache (community.page_cache), conditional GET and the Server-Timing header, at the HTTP
level: after every change that affects a page, an anonymous visitor sees the new state; no visitor ever
receives another visitor's CSRF token or message; members never get a cached page."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import ExpertCredential
from forum.models import Status
from forum.moderation import review
from forum.posting import services
from tests.factories import (
    AnswerFactory,
    QuestionFactory,
    UserFactory,
    category,
    established_member,
    make_expert,
)

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cache_outcome(response) -> str:
    match = re.search(r"page-cache;desc=(\w+)", response.get("Server-Timing", ""))
    return match.group(1) if match else ""


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def published_question(**kwargs):
    question = QuestionFactory(**kwargs)
    question.tags.set(["sleep"])
    return question


# --- What is cached, and for whom ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda q: reverse("forum:home"),
        lambda q: reverse("forum:category", args=[q.category.slug]),
        lambda q: reverse("forum:tag", args=["sleep"]),
        lambda q: q.get_absolute_url(),
    ],
    ids=["home", "category", "tag", "question"],
)
def test_second_anonymous_view_of_a_page_comes_from_the_cache_without_queries(client, url):
    question = published_question(title="Why do I wake at 4am?")
    first = client.get(url(question))
    assert cache_outcome(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url(question))
    assert cache_outcome(second) == "hit"
    assert len(queries) == 0
    assert "Why do I wake at 4am?" in second.content.decode()


def test_members_never_get_a_cached_page(client, member):
    question = published_question()
    client.get(question.get_absolute_url())  # cached for visitors
    response = login(member).get(question.get_absolute_url())
    assert cache_outcome(response) == ""
    assert member.public_name in response.content.decode()  # their own header, not the visitor's page


def test_other_query_parameters_are_rendered_not_cached(client):
    published_question()
    assert cache_outcome(client.get("/?utm_source=x")) == ""
    assert cache_outcome(client.get("/")) == "miss"


def test_page_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    published_question()
    client.get("/")
    assert cache_outcome(client.get("/")) == ""


# --- CSRF tokens and messages never leak between visitors ------------------------------------------------------


def test_each_visitor_gets_their_own_csrf_token_on_a_cached_page():
    question = published_question()
    AnswerFactory(question=question)
    first, second = Client(), Client()
    page_one = first.get(question.get_absolute_url())
    page_two = second.get(question.get_absolute_url())
    assert cache_outcome(page_two) == "hit"
    for client, page in ((first, page_one), (second, page_two)):
        tokens = set(TOKEN_RE.findall(page.content.decode()))
        assert tokens  # the vote forms anonymous visitors see carry a token
        cookie = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {cookie}
        body_token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)
        assert _unmask_cipher_token(body_token) == cookie
    assert client.cookies["csrftoken"].value != first.cookies["csrftoken"].value


def test_forms_on_a_cached_page_work_with_the_visitors_token_and_not_with_anothers():
    question = published_question()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN_RE.search(first.get(question.get_absolute_url()).content.decode()).group(1)
    page = second.get(question.get_absolute_url())
    assert cache_outcome(page) == "hit"
    second_token = TOKEN_RE.search(page.content.decode()).group(1)
    vote = reverse("forum:vote", args=["question", question.pk])
    # The visitor's own token passes the CSRF check: the vote view sends them to log in.
    response = second.post(vote, {"value": "up", "csrfmiddlewaretoken": second_token})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # The other visitor's token does not match this visitor's cookie.
    assert second.post(vote, {"value": "up", "csrfmiddlewaretoken": first_token}).status_code == 403


def test_a_visitors_pending_message_is_shown_to_them_and_never_cached(client, member):
    published_question()
    client.get("/")  # the visitors' page is cached
    member_client = login(member)
    member_client.post(reverse("account_logout"))  # "You have logged out." waits for the next page
    signed_out = member_client.get("/")
    assert "You have logged out" in signed_out.content.decode()
    assert cache_outcome(signed_out) == ""
    assert "You have logged out" not in Client().get("/").content.decode()
    later = member_client.get("/")  # the message was shown once; now the visitor gets the cached page
    assert cache_outcome(later) == "hit"
    assert "You have logged out" not in later.content.decode()


# --- After each change, visitors see the new state -------------------------------------------------------------


def test_approved_question_appears_on_cached_lists(client, moderator, member):
    published_question(title="Does a warm bath help me fall asleep?")  # the tag has a public page
    question = services.ask(
        author=member,
        title="Is magnesium safe with blood pressure tablets?",
        body="My pharmacist was unsure and I would like other views.",
        category=category("living-well"),
        tags=["sleep"],
        accepted_terms=True,
    )
    urls = ["/", reverse("forum:category", args=["living-well"]), reverse("forum:tag", args=["sleep"])]
    for url in urls:
        assert "Is magnesium safe" not in html(client, url)
    review.approve(moderator=moderator, item=question)
    for url in urls:
        assert "Is magnesium safe" in html(client, url)


def test_approved_answer_appears_on_the_cached_question_page_and_counts(client, moderator, member):
    question = published_question(title="Does stretching help cramps?")
    answer = services.answer(
        author=member, question=question, body="Calf stretches before bed helped me.", accepted_terms=True
    )
    assert "Calf stretches" not in html(client, question.get_absolute_url())
    home = html(client, "/")
    assert "<strong>0</strong> answers" in home
    review.approve(moderator=moderator, item=answer)
    assert "Calf stretches" in html(client, question.get_absolute_url())
    assert "<strong>1</strong> answer" in html(client, "/")


def test_hidden_question_leaves_cached_pages_at_once(client, moderator_client):
    question = published_question(title="A question a moderator hides")
    other = published_question(title="Another question, same tag")
    assert "A question a moderator hides" in html(client, "/")
    assert "A question a moderator hides" in html(client, other.get_absolute_url())  # "More Q&A"
    moderator_client.post(
        reverse("forum:moderate_action", args=["question", question.pk, "hide"]),
        {"reason": "Personal details of a third person."},
    )
    assert "A question a moderator hides" not in html(client, "/")
    assert "A question a moderator hides" not in html(client, other.get_absolute_url())
    assert client.get(question.get_absolute_url()).status_code == 404


def test_answer_hidden_by_flags_leaves_the_cached_question_page(client, settings):
    settings.FORUM_FLAGS_TO_HIDE = 2
    question = published_question()
    answer = AnswerFactory(question=question, body="Buy my miracle pills today.")
    assert "miracle pills" in html(client, question.get_absolute_url())
    for _ in range(2):
        login(established_member()).post(
            reverse("forum:flag", args=["answer", answer.pk]), {"reason": "spam"}
        )
    answer.refresh_from_db()
    assert answer.status == Status.HIDDEN
    assert "miracle pills" not in html(client, question.get_absolute_url())


def test_votes_change_the_scores_visitors_see(client, member):
    question = published_question(title="How do I stop snoring?")
    answer = AnswerFactory(question=question)
    score = re.compile(rf'data-score-for="answer-{answer.pk}" aria-label="Score">(-?\d+)<')
    assert score.search(html(client, question.get_absolute_url())).group(1) == "0"
    assert "<strong>0</strong> votes" in html(client, "/")
    voter = login(member)
    voter.post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    voter.post(reverse("forum:vote", args=["question", question.pk]), {"value": "up"})
    assert score.search(html(client, question.get_absolute_url())).group(1) == "1"
    assert "<strong>1</strong> vote<" in html(client, "/")


def test_accepted_answer_is_marked_for_visitors(client, member):
    question = published_question(author=member)
    answer = AnswerFactory(question=question)
    assert "Accepted by the asker" not in html(client, question.get_absolute_url())
    login(member).post(reverse("forum:accept", args=[answer.pk]))
    assert "Accepted by the asker" in html(client, question.get_absolute_url())


def test_featured_answer_shows_on_the_cached_home_and_question_pages(client, moderator_client):
    question = published_question(category=category("mental-health"))
    answer = AnswerFactory(question=question, author=make_expert(), body="Breathing out slowly calms panic.")
    assert "Featured expert answer" not in html(client, question.get_absolute_url())
    assert "Breathing out slowly" not in html(client, "/")
    moderator_client.post(reverse("forum:feature", args=[answer.pk]))
    assert "Featured expert answer" in html(client, question.get_absolute_url())
    assert "Breathing out slowly" in html(client, "/")


def test_moderators_edit_shows_on_cached_pages(client, moderator):
    question = published_question(title="Old title about headaches")
    answer = AnswerFactory(question=question, body="Old answer text.")
    assert "Old title about headaches" in html(client, "/")
    assert "Old answer text" in html(client, question.get_absolute_url())
    question = services.edit_question(
        editor=moderator,
        question=question,
        title="New title about migraines",
        body=question.body,
        category=question.category,
        tags=["sleep"],
        reason="Clearer title.",
    )
    services.edit_answer(editor=moderator, answer=answer, body="New answer text.", reason="Typo.")
    assert "New title about migraines" in html(client, "/")
    page = html(client, question.get_absolute_url())
    assert "New title about migraines" in page and "New answer text" in page


def test_locked_question_says_so_to_visitors(client, moderator_client):
    question = published_question()
    assert "locked by the moderators" not in html(client, question.get_absolute_url())
    moderator_client.post(
        reverse("forum:moderate_action", args=["question", question.pk, "lock"]), {"reason": "Heated."}
    )
    assert "locked by the moderators" in html(client, question.get_absolute_url())


def test_a_new_display_name_shows_on_cached_pages(client):
    author = UserFactory(display_name="Old Name")
    question = published_question(author=author)
    assert "Old Name" in html(client, question.get_absolute_url())
    account_services.set_display_name(user=author, display_name="New Name")
    page = html(client, question.get_absolute_url())
    assert "New Name" in page and "Old Name" not in page


def test_versions_are_replaced_again_after_the_commit(client, member, django_capture_on_commit_callbacks):
    question = published_question()
    answer = AnswerFactory(question=question)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(member).post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
        client.get(question.get_absolute_url())  # rendered between the change and its commit
        assert cache_outcome(client.get(question.get_absolute_url())) == "hit"
    for callback in callbacks:
        callback()
    assert cache_outcome(client.get(question.get_absolute_url())) == "miss"


# --- Conditional GET ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/c/living-well/", "/tags/sleep/"], ids=["home", "category", "tag"])
def test_list_pages_answer_304_to_a_matching_etag_until_they_change(client, moderator, url):
    question = published_question(category=category("living-well"))
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    services.edit_question(
        editor=moderator,
        question=question,
        title="A changed title",
        body=question.body,
        category=question.category,
        tags=["sleep"],
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "A changed title" in changed.content.decode()


def test_etag_of_another_visitor_does_not_match(client):
    published_question()
    etag = client.get("/")["ETag"]
    assert Client().get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another CSRF cookie


# --- Server-Timing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/search/?q=sleep", "/q/999999/nothing/", "/healthz"])
def test_every_response_says_how_long_the_server_took(client, member, path):
    for c in (client, login(member)):
        header = c.get(path)["Server-Timing"]
        assert re.match(r"app;dur=\d+\.\d{2}", header), header


@pytest.mark.slow
def test_no_page_is_kept_past_an_expert_verification_expiry(client):
    expert = make_expert()
    question = published_question(category=category("mental-health"))
    AnswerFactory(question=question, author=expert)
    ExpertCredential.objects.filter(user=expert).update(verified_until=timezone.now() + timedelta(seconds=2))
    assert "Mental Health Expert" in html(client, question.get_absolute_url())
    assert cache_outcome(client.get(question.get_absolute_url())) == "hit"
    time.sleep(2.2)
    page = client.get(question.get_absolute_url())
    assert cache_outcome(page) == "miss"
    assert "Mental Health Expert" not in page.content.decode()


# --- Members' pages: shared fragments, personal bits ------------------------------------------------------------


PRESSED_UP = re.compile(r'value="up" class="vote-button vote-up" aria-pressed="true"')


def test_members_share_answer_fragments_but_each_sees_their_own_vote_edit_link_and_token(member):
    asker, author, voter, other = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    question = published_question(author=asker)
    answer = AnswerFactory(question=question, author=author)
    login(voter).post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    edit_link = reverse("forum:answer_edit", args=[answer.pk])
    pages = {}
    for person in (other, voter, other, author, asker):  # `other` twice: the second render is shared
        client = login(person)
        page = client.get(question.get_absolute_url()).content.decode()
        tokens = {_unmask_cipher_token(t) for t in TOKEN_RE.findall(page)}
        assert tokens == {client.cookies["csrftoken"].value}  # only this member's own token
        pages[person.pk] = page
    assert PRESSED_UP.search(pages[voter.pk]) and not PRESSED_UP.search(pages[other.pk])
    assert edit_link in pages[author.pk] and edit_link not in pages[other.pk]
    assert "Accept: this answer helped" in pages[asker.pk]
    assert "Accept: this answer helped" not in pages[other.pk]


def test_a_vote_changes_the_shared_fragment_for_every_member(member):
    question = published_question()
    answer = AnswerFactory(question=question)
    score = re.compile(rf'data-score-for="answer-{answer.pk}" aria-label="Score">(-?\d+)<')
    reader = login(UserFactory())
    assert score.search(reader.get(question.get_absolute_url()).content.decode()).group(1) == "0"
    login(member).post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    assert score.search(reader.get(question.get_absolute_url()).content.decode()).group(1) == "1"


def test_list_rows_say_you_only_to_the_member_who_asked_anonymously(member):
    published_question(author=member, is_anonymous=True, title="My own anonymous question")
    others = login(UserFactory()).get("/").content.decode()
    mine = login(member).get("/").content.decode()
    assert "Anonymous member (you)" in mine
    assert "Anonymous member (you)" not in others
    assert "Anonymous member" in others

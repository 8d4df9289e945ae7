"""Rate limits (Django cache; Redis in production) and spam signals for new members."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from allauth.account import app_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Flag, Question, Status, Vote
from forum.safety import ratelimit
from forum.voting import services as voting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

pytestmark = pytest.mark.django_db


def ask_data(n: int, **overrides):
    data = {
        "title": f"Question number {n} about my sleep schedule",
        "body": f"This is the body of question {n}, with enough words to pass.",
        "category": category("living-well").pk,
        "tags": "",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_rates_parse():
    assert ratelimit.parse("10/h") == (10, 3600)
    assert ratelimit.parse("3/15m") == (3, 900)
    with pytest.raises(ValueError):
        ratelimit.parse("ten per hour")


def test_new_member_hits_the_question_limit_and_gets_a_429_page_with_retry_after(member_client, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "question": "2/h"}
    for n in range(2):
        assert member_client.post(reverse("forum:ask"), ask_data(n)).status_code == 302
    response = member_client.post(reverse("forum:ask"), ask_data(3))
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    page = response.content.decode()
    assert "limit of 2 questions per 60 minutes" in page
    assert "Please try again in" in page
    assert Question.objects.count() == 2


def test_failed_attempts_do_not_count(member_client, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "question": "1/h"}
    for _ in range(3):
        assert member_client.post(reverse("forum:ask"), ask_data(1, accept_terms="")).status_code == 400
    assert member_client.post(reverse("forum:ask"), ask_data(1)).status_code == 302


def test_established_members_get_the_looser_limits(client, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "answer": "1/h"}
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "answer": "3/h"}
    veteran = UserFactory(date_joined=timezone.now() - timedelta(days=settings.FORUM_NEW_MEMBER_DAYS + 1))
    client.force_login(veteran)
    question = QuestionFactory()
    codes = [
        client.post(
            reverse("forum:answer_create", args=[question.pk]),
            {"body": f"Answer {n}: a walk after dinner helped me.", "accept_terms": "on"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]


def test_votes_and_flags_are_limited_with_an_htmx_message(member_client, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {
        **settings.FORUM_NEW_MEMBER_RATE_LIMITS,
        "vote": "1/h",
        "flag": "1/d",
    }
    first, second = AnswerFactory(), AnswerFactory()
    assert (
        member_client.post(reverse("forum:vote", args=["answer", first.pk]), {"value": "up"}).status_code
        < 400
    )
    response = member_client.post(
        reverse("forum:vote", args=["answer", second.pk]), {"value": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 429
    assert "<html" not in response.content.decode()
    assert "limit of 1 vote per" in response.content.decode()
    assert response["Retry-After"]

    member_client.post(reverse("forum:flag", args=["answer", first.pk]), {"reason": "spam"})
    response = member_client.post(reverse("forum:flag", args=["answer", second.pk]), {"reason": "spam"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 86400
    assert Flag.objects.count() == 1


def test_moderators_are_not_limited(moderator_client, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "question": "1/h"}
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "question": "1/h"}
    codes = [moderator_client.post(reverse("forum:ask"), ask_data(n)).status_code for n in range(3)]
    assert codes == [302, 302, 302]


def test_limits_are_per_member(member_client, other_member, client, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "question": "1/h"}
    member_client.post(reverse("forum:ask"), ask_data(1))
    client.force_login(other_member)
    assert client.post(reverse("forum:ask"), ask_data(2)).status_code == 302


def test_new_members_post_with_many_links_goes_to_the_queue_with_the_reason(
    client, moderator_client, settings
):
    settings.FORUM_TRUSTED_SKIP_REVIEW = True
    newbie = UserFactory(reputation=10_000)  # trusted by reputation, but a new account
    client.force_login(newbie)
    body = "Great deals: https://a.example https://b.example and www.c-example.com every day."
    client.post(reverse("forum:ask"), ask_data(1, body=body))
    question = Question.objects.get()
    assert question.status == Status.PENDING
    assert "New member, 3 links" in question.review_notes
    assert "New member, 3 links" in moderator_client.get(reverse("forum:moderation_queue")).content.decode()


def test_repeated_text_from_a_new_member_goes_to_the_queue(client):

    expert = make_expert()  # experts' answers normally skip review
    client.force_login(expert)
    question = QuestionFactory()
    body = "Buy supplements now. Buy supplements now. Buy supplements now. Best prices."
    client.post(reverse("forum:answer_create", args=[question.pk]), {"body": body, "accept_terms": "on"})
    answer = Answer.objects.get()
    assert answer.status == Status.PENDING
    assert "New member, repeated text within the post" in answer.review_notes


def test_copying_an_earlier_post_is_flagged_for_new_members(client):

    expert = make_expert()
    client.force_login(expert)
    body = "A fixed bedtime and morning daylight helped me more than any supplement did."
    for question in (QuestionFactory(), QuestionFactory()):
        client.post(reverse("forum:answer_create", args=[question.pk]), {"body": body, "accept_terms": "on"})
    first, second = Answer.objects.order_by("pk")
    assert first.status == Status.APPROVED
    assert second.status == Status.PENDING
    assert "same text as one of their recent posts" in second.review_notes[0]


def test_established_members_are_not_spam_checked(client, settings):

    expert = make_expert(date_joined=timezone.now() - timedelta(days=settings.FORUM_NEW_MEMBER_DAYS + 5))
    client.force_login(expert)
    question = QuestionFactory()
    body = "Sources: https://a.example https://b.example https://c.example https://d.example"
    client.post(reverse("forum:answer_create", args=[question.pk]), {"body": body, "accept_terms": "on"})
    assert Answer.objects.get().status == Status.APPROVED


def test_allauth_blocks_logins_after_repeated_failures_even_with_the_right_password(client, member):
    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": member.email, "password": "wrong password"})
    response = client.post(url, {"login": member.email, "password": "correct horse battery"})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_allauth_login_requests_per_ip_get_our_429_page(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    url = reverse("account_login")
    codes = [
        client.post(url, {"login": member.email, "password": "wrong password"}).status_code for _ in range(3)
    ]
    assert codes[-1] == 429
    response = client.post(url, {"login": member.email, "password": "wrong password"})
    assert "Too many attempts" in response.content.decode()
    assert response["Retry-After"]


def test_allauth_signup_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    url = reverse("account_signup")
    codes = []
    for n in range(3):
        codes.append(
            client.post(
                url,
                {
                    "display_name": f"Newcomer {n}",
                    "email": f"newcomer{n}@example.org",
                    "password1": "a long enough passphrase 42",
                    "password2": "a long enough passphrase 42",
                },
            ).status_code
        )
    assert codes[-1] == 429


def test_allauth_default_limits_are_on():

    limits = app_settings.RATE_LIMITS
    assert limits["login_failed"]
    assert limits["signup"]


def test_a_second_form_vote_arriving_while_the_first_is_written_meets_the_limit(
    member, member_client, settings, monkeypatch
):
    """Check and count are one step: a vote that arrives while the member's previous one is being written
    (another server process, simulated here by sending it from inside the first) finds its budget spent."""
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "1/h"}
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "vote": "1/h"}
    first, second = AnswerFactory(), AnswerFactory()
    concurrent = Client()
    concurrent.force_login(member)
    codes, sent = [], []

    def while_writing(name):
        real = getattr(voting, name)

        def hooked(*args, **kwargs):
            if not sent:
                sent.append(True)
                response = concurrent.post(reverse("forum:vote", args=["answer", second.pk]), {"value": "up"})
                codes.append(response.status_code)
            return real(*args, **kwargs)

        monkeypatch.setattr(voting, name, hooked)

    while_writing("announce_scores")
    assert (
        member_client.post(reverse("forum:vote", args=["answer", first.pk]), {"value": "up"}).status_code
        == 302
    )
    assert codes == [429]
    assert Vote.objects.filter(voter=member).count() == 1


def test_budget_is_taken_atomically_by_concurrent_takers(member, settings):
    settings.FORUM_NEW_MEMBER_RATE_LIMITS = {**settings.FORUM_NEW_MEMBER_RATE_LIMITS, "vote": "5/h"}
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "vote": "5/h"}
    barrier = threading.Barrier(8)

    def take():
        barrier.wait()
        refused = ratelimit.take_many({member: 2}, "vote")
        return refused[member][0] if member in refused else 2

    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda _: take(), range(8)))
    assert sum(taken) == 5

"""`manage.py seed_demo`: safe to run again, and its printed logins work."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from forum.management.commands.seed_demo import DEMO_PASSWORD
from forum.models import Answer, Question, Status, is_moderator

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "forum", "account", "auth", "taggit"}
    }


@pytest.mark.slow
def test_seed_demo_is_idempotent():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first
    assert first["forum.Question"] >= 8
    assert first["forum.Category"] == 4


def test_seed_demo_makes_public_and_pending_content_and_prints_the_logins():
    out = seed()
    assert "moderator@example.com" in out
    assert DEMO_PASSWORD in out
    assert Question.objects.filter(status=Status.APPROVED).exists()
    assert Question.objects.filter(status=Status.PENDING).exists()  # something to review in the demo
    assert not Answer.objects.exclude(status=Status.APPROVED).exists()
    assert all(
        q.answer_count == q.answers.filter(status=Status.APPROVED).count() for q in Question.objects.all()
    )
    assert EmailAddress.objects.filter(email="moderator@example.com", verified=True).exists()


def test_demo_moderator_logs_in_with_the_printed_two_factor_code_and_reaches_the_queue(client):
    seed()
    response = client.post(
        reverse("account_login"), {"login": "moderator@example.com", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    code = io.StringIO()
    call_command("demo_totp", stdout=code)
    response = client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})
    assert response.status_code == 302
    user = response.wsgi_request.user
    assert user.is_authenticated and user.email == "moderator@example.com"
    assert is_moderator(user)
    assert client.get(reverse("forum:moderation_queue")).status_code == 200


def test_demo_member_can_log_in_and_sees_their_name(client):
    seed()
    response = client.post(
        reverse("account_login"), {"login": "cindy@example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "Cindy" in client.get("/").content.decode()

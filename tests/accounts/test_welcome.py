"""A new member is welcomed once, after their first login: how to ask, the terms, and that nothing here is
medical advice."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy walk every morning"


def messages_on(html: str) -> str:
    found = re.search(r'<div class="wrap messages"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def test_a_new_member_is_welcomed_after_the_first_login_only(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the verification email leaves after the commit
        client.post(
            reverse("account_signup"),
            {
                "display_name": "Priya",
                "email": "priya@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    confirm = re.sub(r"^https?://[^/]+", "", link)
    page = client.post(confirm, follow=True).content.decode()  # confirming the email logs in

    welcome = messages_on(page)
    assert "Welcome to" in welcome and "Priya" in welcome
    assert f'href="{reverse("forum:ask")}"' in welcome
    assert f'href="{reverse("forum:terms")}"' in welcome
    assert "not medical advice" in welcome

    client.post(reverse("account_logout"))
    again = client.post(
        reverse("account_login"), {"login": "priya@example.org", "password": PASSWORD}, follow=True
    )
    assert "_auth_user_id" in client.session
    assert "Welcome to" not in messages_on(again.content.decode())

"""allauth's pages speak like the rest of the site: sentence case and "Log in"/"Sign up", never allauth's
"Sign In"/"Sign Up" headings and buttons (locale/en/LC_MESSAGES/django.po)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db

TITLE_CASE = re.compile(r"\b(Sign In|Sign Up|Log In|Sign Out|Log Out|Signup)\b")
# Words that keep their capital inside a sentence-case heading or button.
PROPER = {"I", "TOTP", "QR", "ID", "IP"}


def shown_labels(html: str) -> list[str]:
    """Headings, buttons, labels and the title: where title case crept in."""
    texts = re.findall(r"<(title|h1|h2|h3|button|label|legend)\b[^>]*>(.*?)</\1>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for _tag, text in texts]


def assert_sentence_case(url: str, html: str) -> None:
    assert not TITLE_CASE.search(html), (url, TITLE_CASE.search(html).group(0))
    for label in shown_labels(html):
        words = label.split(" · ")[0].split()  # "<page> · <site name>": the site's own name is a name
        capitalised = [w for w in words[1:] if w[:1].isupper() and w.strip("?:*()") not in PROPER]
        assert not capitalised, (url, label)


def test_allauth_pages_for_visitors_use_sentence_case():
    client = Client()
    for name in (
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_inactive",
    ):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_sentence_case(url, response.content.decode())


def test_allauth_pages_for_members_use_sentence_case():
    client = Client()
    member = add_totp(UserFactory())
    client.force_login(member)
    for name in ("account_email", "account_change_password", "mfa_index", "account_reauthenticate"):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_sentence_case(url, response.content.decode())


def test_two_factor_step_of_login_uses_sentence_case():
    client = Client()
    member = add_totp(UserFactory(email="ada@example.org"))
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert_sentence_case(reverse("mfa_authenticate"), response.content.decode())

"""The site speaks as itself: its name and address come from settings (SITE_NAME, SITE_URL) in allauth's
emails, our notification emails, page titles and seed_demo's printed login link; never "example.com"."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from community.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE_NAME = "Riverside Health Circle"
SITE_URL = "http://127.0.0.1:8141"


@pytest.fixture
def site(settings):
    """The site under another name and port, as `make run PORT=8141` with SITE_NAME set would run it; the
    migrate that `make run` does first brings the Site row along (accounts.apps)."""
    settings.SITE_NAME = SITE_NAME
    settings.SITE_URL = SITE_URL
    call_command("migrate", verbosity=0, interactive=False)
    return settings


def links_in(message) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def assert_speaks_as_the_site(message):
    text = message.subject + message.body
    assert "example.com" not in text
    assert SITE_NAME in message.subject
    assert SITE_NAME in message.body
    links = links_in(message)
    assert links
    for link in links:
        assert urlsplit(link).netloc == "127.0.0.1:8141", link


def test_sign_up_verification_email_names_the_site_and_links_to_site_url(
    client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's emails leave after the commit
        client.post(
            reverse("account_signup"),
            {
                "display_name": "Cindy",
                "email": "cindy@example.org",
                "password1": "a sturdy walk every morning",
                "password2": "a sturdy walk every morning",
            },
        )
    assert len(mail.outbox) == 1
    assert_speaks_as_the_site(mail.outbox[0])
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_password_reset_email_names_the_site_and_links_to_site_url(
    client, site, django_capture_on_commit_callbacks
):
    UserFactory(email="ellen@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "ellen@example.org"})
    assert len(mail.outbox) == 1
    assert_speaks_as_the_site(mail.outbox[0])
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_notification_email_names_the_site_and_links_to_site_url(site, django_capture_on_commit_callbacks):
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(member, "approved", "A moderator approved your question.", "/q/1/sleep/")
    assert len(mail.outbox) == 1
    assert_speaks_as_the_site(mail.outbox[0])
    assert f"{SITE_URL}/q/1/sleep/" in mail.outbox[0].body


def test_page_titles_carry_the_site_name(client, site):
    for url in (reverse("forum:home"), reverse("account_login")):
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title.strip().endswith(SITE_NAME), title


def test_seed_demo_prints_the_login_link_on_site_url(site):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{SITE_URL}/accounts/login/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()

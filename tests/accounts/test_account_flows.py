"""Account flows through allauth at the HTTP level: sign up, verify, log in and out, reset, change email."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy walk every morning"


def signup_data(**overrides):
    data = {
        "display_name": "Cindy",
        "email": "cindy@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    """The first link in an email, as a path the test client can open."""
    url = re.search(r"https?://[^\s]+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_sign_up_stores_display_name_and_sends_a_verification_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the email is queued, and sent after the commit
        response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="cindy@example.org")
    assert user.display_name == "Cindy"
    assert user.username != "cindy@example.org"  # the internal handle never reveals the email
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cindy@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sign_up_without_display_name_is_refused_and_keeps_the_email(client):
    response = client.post(reverse("account_signup"), signup_data(display_name=""))
    assert response.status_code == 200  # allauth re-renders the form
    assert "This field is required." in response.content.decode()
    assert 'value="cindy@example.org"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_unverified_member_cannot_log_in_until_the_email_is_confirmed(client):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    response = client.post(reverse("account_login"), {"login": "cindy@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirming_the_emailed_link_verifies_and_logs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data())
    confirm_url = link_in(mail.outbox[0])

    page = client.get(confirm_url)  # GET only shows the confirm button: mail scanners must not confirm
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert not EmailAddress.objects.get(email="cindy@example.org").verified

    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="cindy@example.org").verified
    home = client.get("/")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="cindy@example.org").pk
    assert "Cindy" in home.content.decode()
    assert "Log out" in home.content.decode()


def test_verified_member_logs_in_and_out(client):
    member = UserFactory(email="raj@example.org", display_name="Raj")
    response = client.post(
        reverse("account_login"), {"login": "raj@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Log in" in client.get("/").content.decode()


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="raj@example.org")
    response = client.post(reverse("account_login"), {"login": "raj@example.org", "password": "nope nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert 'value="raj@example.org"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    UserFactory(email="ellen@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "ellen@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    assert "/accounts/password/reset/key/" in reset_url

    form_page = client.get(reset_url, follow=True)  # allauth moves the key out of the URL into the session
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    client.logout()
    ok = client.post(
        reverse("account_login"), {"login": "ellen@example.org", "password": "a brand new passphrase"}
    )
    assert ok.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_change_email_takes_effect_after_the_new_address_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    member = UserFactory(email="old@example.org")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.org"]
    member.refresh_from_db()
    assert member.email == "old@example.org"  # unchanged until confirmed

    client.post(link_in(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == "new@example.org"
    assert EmailAddress.objects.get(user=member, primary=True).email == "new@example.org"
    assert not EmailAddress.objects.filter(email="old@example.org").exists()

    client.logout()
    ok = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "correct horse battery"}
    )
    assert ok.status_code == 302
    assert "_auth_user_id" in client.session


class _FormAudit(HTMLParser):
    """Collects the ids of visible form controls and the `for` targets of labels."""

    def __init__(self):
        super().__init__()
        self.controls: list[str] = []
        self.label_targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append(attrs.get("id") or f"<{tag} name={attrs.get('name')} without id>")


ACCOUNT_PAGES = [
    ("account_login", False),
    ("account_signup", False),
    ("account_reset_password", False),
    ("account_email", True),
    ("account_change_password", True),
]


@pytest.mark.parametrize(("url_name", "logged_in"), ACCOUNT_PAGES)
def test_account_pages_use_the_site_layout_with_a_label_on_every_field(client, url_name, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in page
    assert 'class="site-footer"' in page
    assert re.search(r'<div class="narrow card account-card">\s*<h1>', page), "the page sits in the card"
    main = page[page.index("<main") : page.index("</main>")]
    audit = _FormAudit()
    audit.feed(main)
    assert audit.controls, "the page has a form"
    unlabeled = [control for control in audit.controls if control not in audit.label_targets]
    assert unlabeled == []
    assert 'class="field' in main

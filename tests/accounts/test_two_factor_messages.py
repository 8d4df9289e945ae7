"""The two-factor step tells a person why a code is refused: a code already used in its 30-second window
gets "wait for the next code", not the same page again."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's


def current_code(user) -> str:
    secret = decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def log_in_with_code(user, code: str):
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    return client, client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_code_used_twice_in_its_window_says_to_wait_for_the_next_one():
    member = add_totp(UserFactory())
    if time.time() % 30 > 25:  # both logins must fall in one 30-second window
        time.sleep(30 - time.time() % 30 + 0.1)
    code = current_code(member)

    first, response = log_in_with_code(member, code)
    assert response.status_code == 302
    assert "_auth_user_id" in first.session

    second, response = log_in_with_code(member, code)
    assert response.status_code == 200
    assert "_auth_user_id" not in second.session
    html = response.content.decode()
    assert "This code was already used. Wait for the next code (up to 30 seconds)." in html


def test_a_wrong_code_says_it_is_incorrect():
    member = add_totp(UserFactory())
    wrong = "000000" if current_code(member) != "000000" else "111111"
    client, response = log_in_with_code(member, wrong)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Incorrect code." in html
    assert "already used" not in html

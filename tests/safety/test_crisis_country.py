"""Crisis lines follow the member, not the site: their profile's country, else their browser's region."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from community import crisis_lines as crisis
from forum.models import Question
from tests.factories import UserFactory, category

pytestmark = pytest.mark.django_db


def crisis_page(user, accept_language="") -> str:
    """What `user` sees after asking a question in crisis words (the confirmation page's crisis panel)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=accept_language) if accept_language else Client()
    client.force_login(user)
    response = client.post(
        reverse("forum:ask"),
        {
            "title": "I do not know how to keep going anymore",
            "body": "Some nights I want to end my life. I do not know who to talk to about it.",
            "category": category("mental-health").pk,
            "tags": "",
            "accept_terms": "on",
        },
    )
    assert Question.objects.get(author=user).is_urgent
    return client.get(response["Location"]).content.decode()


def test_a_uk_member_sees_uk_lines():
    page = crisis_page(UserFactory(country="GB"))
    assert "Samaritans" in page and "116 123" in page
    assert 'href="tel:111"' in page and 'href="tel:999"' in page
    assert "988" not in page


def test_a_us_member_sees_988_whatever_their_browser_says():
    page = crisis_page(UserFactory(country="US"), accept_language="en-GB,en;q=0.9")
    assert "988 Suicide &amp; Crisis Lifeline" in page and 'href="tel:911"' in page
    assert "Samaritans" not in page


def test_a_member_who_has_not_chosen_gets_their_browsers_region():
    page = crisis_page(UserFactory(country=""), accept_language="en-GB,en;q=0.9")
    assert "Samaritans" in page and "988" not in page


def test_a_member_in_another_country_gets_the_international_directory():
    page = crisis_page(UserFactory(country=""), accept_language="de-DE,de;q=0.9")
    assert "https://findahelpline.com" in page and "988" not in page


def test_a_visitor_with_a_british_browser_gets_uk_lines():
    # Visitors see the panel through the same tag as members (no page shows it to visitors yet).
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en-US;q=0.8")
    request.user = AnonymousUser()
    html = Template("{% load safety %}{% crisis_panel show=True %}").render(Context({"request": request}))
    assert "Samaritans" in html and "988" not in html


@pytest.mark.parametrize(
    ("header", "country"),
    [("en-GB", "GB"), ("en,en-AU;q=0.8", "AU"), ("zh-Hant-TW", "TW"), ("fr", ""), ("", ""), ("es-419", "")],
)
def test_the_browsers_region_is_read_from_accept_language(header, country):
    assert crisis.country_from_languages(header) == country


def profile_form(user, **changes):
    data = {"display_name": user.display_name, "location": "Leeds", "show_location": "", "bio": "Hello"}
    return {**data, **changes}


def test_a_member_chooses_their_country_on_the_profile_settings_page(member, member_client):
    page = member_client.get(reverse("accounts:profile_edit"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Not set: from your browser&#x27;s language (United Kingdom)" in page.content.decode()
    response = member_client.post(reverse("accounts:profile_edit"), profile_form(member, country="IE"))
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).country == "IE"


def test_an_unknown_country_is_refused_with_a_message_and_nothing_typed_is_lost(member, member_client):
    response = member_client.post(
        reverse("accounts:profile_edit"), profile_form(member, country="XX", bio="Kept text")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice." in page and "Kept text" in page
    assert User.objects.get(pk=member.pk).country == ""

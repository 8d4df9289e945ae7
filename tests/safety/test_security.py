"""Security: MFA before powers, security headers and CSP, secure production settings, the XSS corpus."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from community.redirects import is_safe_redirect
from forum.models import Question
from tests.factories import (
    AnswerFactory,
    QuestionFactory,
    UserFactory,
    category,
    make_expert,
    make_moderator,
)
from tests.safety.xss import xss_world

pytestmark = pytest.mark.django_db


# --- MFA before powers ------------------------------------------------------------------------------------------


def test_moderator_without_mfa_is_sent_to_set_it_up_before_the_queue():
    moderator = make_moderator(mfa=False)
    client = Client()
    client.force_login(moderator)
    response = client.get(reverse("forum:moderation_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_moderator_without_mfa_cannot_act_either():
    moderator = make_moderator(mfa=False)
    question = QuestionFactory(status="pending")
    client = Client()
    client.force_login(moderator)
    response = client.post(
        reverse("forum:moderation_decide", args=["question", question.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert "two-factor authentication" in response.content.decode()
    question.refresh_from_db()
    assert question.status == "pending"
    for url in [
        reverse("forum:flagged"),
        reverse("forum:appeals"),
        reverse("forum:audit_log"),
        reverse("forum:moderate_item", args=["question", question.pk]),
        reverse("accounts:expert_queue"),
        "/admin/",
    ]:
        assert client.get(url)["Location"].startswith(reverse("mfa_activate_totp")), url


def test_moderator_with_totp_reaches_the_queue(moderator_client):
    assert moderator_client.get(reverse("forum:moderation_queue")).status_code == 200


def test_expert_without_mfa_is_sent_to_set_it_up_before_expert_only_pages():
    expert = make_expert(mfa=False)
    client = Client()
    client.force_login(expert)
    response = client.get(reverse("forum:awaiting_expert"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    client.force_login(make_expert(mfa=True))
    assert client.get(reverse("forum:awaiting_expert")).status_code == 200


def test_members_are_not_asked_for_mfa(member_client):
    assert member_client.get(reverse("forum:ask")).status_code == 200
    assert member_client.get(reverse("forum:moderation_queue")).status_code == 403


def test_the_mfa_requirement_is_a_setting(settings):
    settings.REQUIRE_MFA_FOR_POWERS = False
    client = Client()
    client.force_login(make_moderator(mfa=False))
    assert client.get(reverse("forum:moderation_queue")).status_code == 200


def test_the_setup_page_itself_is_reachable_without_mfa():
    client = Client()
    client.force_login(make_moderator(mfa=False))
    response = client.get(reverse("mfa_activate_totp"))
    # allauth may first ask to re-enter the password; it never loops back to itself.
    assert response.status_code == 200 or not response["Location"].startswith(reverse("mfa_activate_totp"))


# --- Headers and production settings --------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_told_not_to_inject_inline_styles(client):
    page = client.get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false' in page


TEMPLATE_DIRS = [Path(__file__).resolve().parents[2] / "templates"]


def test_templates_have_no_inline_scripts_styles_or_event_handlers():
    offenders = []
    for base in TEMPLATE_DIRS:
        for path in base.rglob("*.html"):
            text = path.read_text()
            for match in re.finditer(r"<script\b[^>]*>", text):
                if "src=" not in match.group(0):
                    offenders.append(f"{path.name}: inline <script>")
            if re.search(r"<style\b", text):
                offenders.append(f"{path.name}: <style>")
            if re.search(r"\sstyle=\"", text):
                offenders.append(f"{path.name}: style attribute")
            if re.search(r"\son[a-z]+=", text):
                offenders.append(f"{path.name}: on* handler")
            if "javascript:" in text:
                offenders.append(f"{path.name}: javascript: URL")
    assert offenders == []


def test_production_settings_are_secure():

    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "production-like-secret",
        "ALLOWED_HOSTS": "health.example.org",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True"]
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


# --- The XSS corpus ---------------------------------------------------------------------------------------------


class _Audit(HTMLParser):
    """Collects what would run: script elements without src, on* attributes, javascript:/data: URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        # JSON-LD (forum.discovery) is a data block browsers never run; its JSON escapes "<" so nothing in it
        # can close the element.
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self.problems.append("inline script")
        if tag in ("iframe", "object", "embed", "svg", "math", "style", "base"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag} {name}={value[:30]}")


def assert_harmless(html: str):
    audit = _Audit()
    audit.feed(html)
    assert audit.problems == []


def test_xss_payloads_render_harmless_on_every_page(client, moderator_client):
    pages = xss_world()
    member = UserFactory()
    member_client = Client()
    member_client.force_login(member)
    urls = [*pages, "/", reverse("forum:search") + "?q=script", *[c.get_absolute_url() for c in []]]

    urls += [reverse("forum:tag", args=[t.slug]) for t in Tag.objects.all() if t.slug]
    for url in urls:
        for c in (client, member_client):
            response = c.get(url, follow=True)
            assert response.status_code == 200, url
            assert_harmless(response.content.decode())
    assert_harmless(moderator_client.get(reverse("forum:moderation_queue")).content.decode())
    for question in Question.objects.all()[:5]:
        assert_harmless(
            moderator_client.get(
                reverse("forum:moderate_item", args=["question", question.pk])
            ).content.decode()
        )


def test_xss_through_the_forms_is_stored_escaped(member_client, member):
    payload = '<img src=x onerror="window.__xss=1"> [x](javascript:alert(1))'
    member_client.post(
        reverse("forum:ask"),
        {
            "title": "Question with <script>alert(1)</script> in the title",
            "body": f"Details long enough: {payload}",
            "category": category("living-well").pk,
            "tags": "<svg onload=alert(1)>",
            "accept_terms": "on",
        },
    )
    question = Question.objects.get()
    page = member_client.get(question.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert_harmless(page)
    assert 'href="javascript' not in question.body_html.lower()
    member_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "<script>alert(1)</script>", "location": '"><svg onload=alert(1)>', "show_location": "on",
         "bio": "<img src=x onerror=alert(1)>"},
    )  # fmt: skip
    profile = member_client.get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in profile
    assert_harmless(profile)


# --- Redirects: a `next` from the request never leaves the site ------------------------------------------------

EVIL_NEXTS = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "\\\\evil.example",
]
GOOD_NEXT = "/search/?q=sleep"


def _next_endpoints() -> dict:
    """Every endpoint that takes a `next`: name -> (the person acting, url, the rest of the form)."""
    asker, member, moderator = UserFactory(), UserFactory(), make_moderator()
    question = QuestionFactory(author=asker, category=category("mental-health"))
    answer = AnswerFactory(question=question, author=make_expert("mental-health"))
    pending = QuestionFactory(status="pending")
    login_as = UserFactory()
    return {
        "moderation decision": (
            moderator,
            reverse("forum:moderation_decide", args=["question", pending.pk]),
            {"decision": "approve"},
        ),
        "vote": (member, reverse("forum:vote", args=["question", question.pk]), {"value": "up"}),
        "accept": (asker, reverse("forum:accept", args=[answer.pk]), {}),
        "feature": (moderator, reverse("forum:feature", args=[answer.pk]), {}),
        "log in": (
            None,
            reverse("account_login"),
            {"login": login_as.email, "password": "correct horse battery"},
        ),
        "log out": (member, reverse("account_logout"), {}),
    }


ENDPOINTS_TAKING_NEXT = ["moderation decision", "vote", "accept", "feature", "log in", "log out"]


@pytest.mark.parametrize("endpoint", ENDPOINTS_TAKING_NEXT)
@pytest.mark.parametrize("wanted", [*EVIL_NEXTS, GOOD_NEXT])
def test_a_next_taken_from_the_request_never_leaves_the_site(endpoint, wanted):
    person, url, data = _next_endpoints()[endpoint]
    client = Client()
    if person is not None:
        client.force_login(person)
    response = client.post(url, {**data, "next": wanted})
    assert response.status_code == 302
    location = response["Location"]
    if wanted == GOOD_NEXT:
        assert location == GOOD_NEXT
    else:
        assert "evil" not in location
        assert location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize(
    ("url", "secure", "safe"),
    [
        ("/q/1/#answer-2", False, True),
        ("http://testserver/q/1/", False, True),
        ("http://testserver/q/1/", True, False),  # an https page never sends a person back over http
        ("https://testserver/q/1/", True, True),
        ("forum:home", False, False),  # redirect() would read it as a view name
        ("", False, False),
    ],
)
def test_safe_redirect_keeps_the_host_and_the_scheme(rf, url, secure, safe):

    request = rf.get("/", secure=secure)
    assert is_safe_redirect(request, url) is safe

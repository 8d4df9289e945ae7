"""Every trust-and-safety action for every role: anonymous visitor, member, the content's author, moderator.

Each row says what the role gets (status code) and whether the action took effect; the server decides on
every path, whatever the page showed.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from community.audit.models import AuditEntry
from forum.models import Appeal, Flag, Sanction, Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "moderator"]


@pytest.fixture
def world(db):
    author = UserFactory(display_name="Author")
    question = QuestionFactory(author=author)
    original = QuestionFactory()
    answer = AnswerFactory(question=question, author=author)
    warning = AuditEntry.objects.create(action="warn", subject=author, reason="Be kind.")
    return {
        "author": author,
        "member": UserFactory(),
        "moderator": make_moderator(),
        "question": question,
        "original": original,
        "answer": answer,
        "warning": warning,
    }


def client_for(role, world) -> Client:
    c = Client()
    if role != "anonymous":
        c.force_login(world[role])
    return c


def _took_effect(action, world):
    question, answer, author = world["question"], world["answer"], world["author"]
    question.refresh_from_db()
    answer.refresh_from_db()
    return {
        "flag": Flag.objects.exists(),
        "hide": answer.status == Status.HIDDEN,
        "lock": question.is_locked,
        "close": question.duplicate_of_id == world["original"].pk,
        "delete": answer.status == Status.DELETED,
        "suspend": Sanction.objects.filter(member=author).exists(),
        "appeal": Appeal.objects.exists(),
    }[action]


def _request(action, role, world):
    c = client_for(role, world)
    q, a, author = world["question"], world["answer"], world["author"]
    reason = {"reason": "Matrix test."}
    if action == "flag":
        return c.post(reverse("forum:flag", args=["answer", a.pk]), {"reason": "spam"})
    if action in ("hide", "delete"):
        return c.post(reverse("forum:moderate_action", args=["answer", a.pk, action]), reason)
    if action == "lock":
        return c.post(reverse("forum:moderate_action", args=["question", q.pk, "lock"]), reason)
    if action == "close":
        data = {**reason, "original": str(world["original"].pk)}
        return c.post(reverse("forum:moderate_action", args=["question", q.pk, "close"]), data)
    if action == "suspend":
        data = {**reason, "kind": "suspend", "days": "3"}
        return c.post(reverse("forum:member_sanction", args=[author.pk]), data)
    if action == "appeal":
        return c.post(reverse("forum:appeal_new", args=[world["warning"].pk]), {"body": "Please reconsider."})
    raise AssertionError(action)


LOGIN = "login"
MATRIX = {
    #            anonymous   member      author      moderator
    "flag": [(LOGIN, False), (302, True), (403, False), (302, True)],
    "hide": [(LOGIN, False), (403, False), (403, False), (302, True)],
    "lock": [(LOGIN, False), (403, False), (403, False), (302, True)],
    "close": [(LOGIN, False), (403, False), (403, False), (302, True)],
    "delete": [(LOGIN, False), (403, False), (403, False), (302, True)],
    "suspend": [(LOGIN, False), (403, False), (403, False), (302, True)],
    "appeal": [(LOGIN, False), (404, False), (302, True), (404, False)],
}


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_trust_and_safety_write_actions(action, role, world):
    expected_status, expected_effect = MATRIX[action][ROLES.index(role)]
    response = _request(action, role, world)
    if expected_status == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected_status
    assert _took_effect(action, world) is expected_effect


READ_PAGES = {
    # name: (url builder, [anonymous, member, author, moderator])
    "flagged queue": (lambda w: reverse("forum:flagged"), [LOGIN, 403, 403, 200]),
    "appeals list": (lambda w: reverse("forum:appeals"), [LOGIN, 403, 403, 200]),
    "moderate item": (lambda w: reverse("forum:moderate_item", args=["question", w["question"].pk]), [LOGIN, 403, 403, 200]),
    "member moderation": (lambda w: reverse("forum:member_moderation", args=[w["author"].pk]), [LOGIN, 403, 403, 200]),
    "notices": (lambda w: reverse("forum:notices"), [LOGIN, 200, 200, 200]),
    "export": (lambda w: reverse("accounts:export"), [LOGIN, 200, 200, 200]),
    "delete account": (lambda w: reverse("accounts:delete_account"), [LOGIN, 200, 200, 200]),
}  # fmt: skip


@pytest.mark.parametrize("page", list(READ_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_trust_and_safety_pages(page, role, world):
    build, expectations = READ_PAGES[page]
    expected = expectations[ROLES.index(role)]
    response = client_for(role, world).get(build(world))
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected


def test_export_contains_only_the_requesters_data(world):

    for role in ("member", "author", "moderator"):
        data = json.loads(client_for(role, world).get(reverse("accounts:export")).content)
        assert data["profile"]["email"] == world[role].email
        assert len(data["questions"]) == (1 if role == "author" else 0)


def test_delete_account_only_ever_deletes_the_requester(world):
    c = client_for("member", world)
    c.post(reverse("accounts:delete_account"), {"password": "correct horse battery", "confirm": "on"})
    for role in ("author", "moderator"):
        world[role].refresh_from_db()
        assert not world[role].is_deleted
    world["member"].refresh_from_db()
    assert world["member"].is_deleted

"""Who may see and do what: roles (anonymous, member, author, moderator) x item states (pending, approved,
rejected) over every view. Non-public content must not leak through pages, lists, counts, tag pages, related
questions, search or profiles; anonymous questions never name their author to anyone but moderators.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum import publication, selectors
from forum.models import Answer, Flag, Question, Revision, Status, Vote
from forum.moderation import review
from forum.posting import services
from forum.search.index import FTS_DELETE, FTS_INSERT
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_moderator

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "moderator"]
STATES = [Status.PENDING, Status.APPROVED, Status.REJECTED]
SEES_NON_PUBLIC = {"author", "moderator"}

QUESTION_TITLE = "Why do my zebrafinch dreams keep waking me?"
ANSWER_TEXT = "A quokkalike bedtime ritual helped me a great deal."
AUTHOR_NAME = "Quentin Quillfeather"


@dataclass
class World:
    author: User
    member: User
    moderator: User
    question: Question  # the item under test, in `state`
    answer: Answer  # the answer under test, in `state`, on an approved question
    host: Question  # the approved question carrying `answer`
    neighbour: Question  # approved, shares tags and category with `question`


def index_for_search(*questions):
    """Fill the search vector the way services do, whatever the state, so only the visibility rule
    (never a missing index entry) can keep non-public questions out of search."""
    if settings.IS_POSTGRES:
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("body", weight="B", config="english")
        )
    else:  # SQLite's FTS5 table (forum.search.index), written directly for the same reason
        with connection.cursor() as cursor:
            for q in questions:
                cursor.execute(FTS_DELETE, [q.pk])
                cursor.execute(FTS_INSERT, [q.pk, q.title, "", q.body, ""])


def make_world(state, *, anonymous=False) -> World:
    author = UserFactory(display_name=AUTHOR_NAME, location="Vermont", show_location=True)
    moderator = make_moderator(display_name="Morgan Moderator")
    decided = {} if state == Status.PENDING else {"decided_by": moderator, "decision_reason": "Too personal."}
    question = QuestionFactory(
        author=author,
        title=QUESTION_TITLE,
        body="I keep dreaming about finches and wake at 3am. Zebrafinch dreams, every night.",
        category=category("conditions"),
        status=state,
        is_anonymous=anonymous,
        **decided,
    )
    question.tags.set(["zebratag", "sleep-help"])
    neighbour = QuestionFactory(title="Sleep help for shift workers please", category=category("conditions"))
    neighbour.tags.set(["zebratag", "sleep-help"])
    host = QuestionFactory(title="What helps with winter tiredness?", category=category("living-well"))
    AnswerFactory(question=host, body="Daylight walks in the morning helped me.")
    answer = AnswerFactory(question=host, author=author, body=ANSWER_TEXT, status=state, **decided)
    publication.refresh_answer_count(host.pk)
    index_for_search(question, neighbour, host)
    return World(author, UserFactory(), moderator, question, answer, host, neighbour)


def client_for(role: str, world: World) -> Client:
    client = Client()
    user = {"anonymous": None, "member": world.member, "author": world.author, "moderator": world.moderator}[
        role
    ]
    if user is not None:
        client.force_login(user)
    return client


def main_of(response) -> str:
    """The page without its header, which always names the signed-in viewer."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def expected_for_owner_only(role, state, *, found_is=200):
    """Pages about one item that only its author and moderators may use."""
    if role == "anonymous":
        return "login"
    if role == "member":
        return 403 if state == Status.APPROVED else 404
    return found_is


def check(response, expected):
    if expected == "login":
        assert is_login_redirect(response), (response.status_code, response.get("Location"))
    else:
        assert response.status_code == expected


matrix = pytest.mark.parametrize("state", STATES)
roles = pytest.mark.parametrize("role", ROLES)


# --- Pages about one item ---------------------------------------------------------------------------------


@matrix
@roles
def test_question_page(role, state):
    world = make_world(state)
    response = client_for(role, world).get(world.question.get_absolute_url())
    visible = state == Status.APPROVED or role in SEES_NON_PUBLIC
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert QUESTION_TITLE in response.content.decode()


@matrix
@roles
def test_question_edit_page(role, state):
    world = make_world(state)
    response = client_for(role, world).get(reverse("forum:question_edit", args=[world.question.pk]))
    check(response, expected_for_owner_only(role, state))
    if response.status_code == 200:
        assert QUESTION_TITLE in response.content.decode()


@matrix
@roles
def test_question_edit_post(role, state):
    world = make_world(state)
    data = {
        "title": "Why do my zebrafinch dreams wake me so early?",
        "body": "Edited: I keep dreaming about finches and wake at 3am every night.",
        "category": category("conditions").pk,
        "tags": "zebratag",
    }
    response = client_for(role, world).post(reverse("forum:question_edit", args=[world.question.pk]), data)
    check(response, expected_for_owner_only(role, state, found_is=302))
    world.question.refresh_from_db()
    changed = world.question.title == data["title"]
    proposed = Revision.objects.filter(
        question=world.question, status=Revision.State.PENDING, title=data["title"]
    )
    if role == "author" and state == Status.APPROVED:
        # FORUM_REVIEW_EDITS: the edit waits for review and the approved version stays public meanwhile.
        assert not changed and proposed.exists()
        assert world.question.status == Status.APPROVED
        return
    assert changed == (role in SEES_NON_PUBLIC)
    assert not proposed.exists()
    if role == "author" and state == Status.REJECTED:
        assert world.question.status == Status.PENDING  # fixing a rejected question resubmits it
    elif changed:
        assert world.question.status == state


@matrix
@roles
def test_answer_create_post(role, state):
    world = make_world(state)
    before = Answer.objects.filter(question=world.question).count()
    response = client_for(role, world).post(
        reverse("forum:answer_create", args=[world.question.pk]),
        {"body": "Cutting coffee after noon helped me a lot.", "accept_terms": "on"},
    )
    if role == "anonymous":
        expected = "login"
    elif state == Status.APPROVED:
        expected = 302
    elif role in SEES_NON_PUBLIC:
        expected = 403  # they can see it, but only approved questions take answers
    else:
        expected = 404
    check(response, expected)
    created = Answer.objects.filter(question=world.question).count() - before
    assert created == (1 if expected == 302 else 0)


@matrix
@roles
@pytest.mark.parametrize("method", ["get", "post"])
def test_answer_edit(role, state, method):
    world = make_world(state)
    url = reverse("forum:answer_edit", args=[world.answer.pk])
    client = client_for(role, world)
    if method == "get":
        response = client.get(url)
        check(response, expected_for_owner_only(role, state))
    else:
        response = client.post(url, {"body": "Edited: a calm bedtime ritual helped."})
        check(response, expected_for_owner_only(role, state, found_is=302))
        world.answer.refresh_from_db()
        changed = world.answer.body == "Edited: a calm bedtime ritual helped."
        proposed = Revision.objects.filter(answer=world.answer, status=Revision.State.PENDING).exists()
        if role == "author" and state == Status.APPROVED:
            assert not changed and proposed  # waits for review; the approved answer stays public
        else:
            assert changed == (role in SEES_NON_PUBLIC)
            assert not proposed


# An answer's author may edit it only while its question is one they could read as any reader would.
QUESTION_STATES_CLOSED_TO_ANSWER_EDITS = [Status.HIDDEN, Status.DELETED, Status.REJECTED, Status.PENDING]


@pytest.mark.parametrize("question_state", QUESTION_STATES_CLOSED_TO_ANSWER_EDITS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_answer_under_a_question_that_is_not_public_cannot_be_edited_by_its_author(question_state, method):
    world = make_world(Status.APPROVED)
    Question.objects.filter(pk=world.host.pk).update(status=question_state)
    url = reverse("forum:answer_edit", args=[world.answer.pk])
    client = client_for("author", world)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"body": "Edited: a calm bedtime ritual helped."})
    # Refused; under a deleted question the answer is gone for its author too (404), as the question is.
    assert response.status_code == (404 if question_state == Status.DELETED else 403)
    assert world.host.title not in response.content.decode()  # the hidden question's title stays hidden
    world.answer.refresh_from_db()
    assert world.answer.body == ANSWER_TEXT
    assert world.answer.status == Status.APPROVED  # not pushed back into review
    assert not Revision.objects.filter(answer=world.answer).exists()


@pytest.mark.parametrize("question_state", QUESTION_STATES_CLOSED_TO_ANSWER_EDITS)
def test_the_edit_service_refuses_answers_under_a_question_that_is_not_public(question_state):
    world = make_world(Status.APPROVED)
    Question.objects.filter(pk=world.host.pk).update(status=question_state)
    with pytest.raises(PermissionDenied):
        services.edit_answer(editor=world.author, answer=world.answer, body="Edited: a calm ritual helped.")
    world.answer.refresh_from_db()
    assert world.answer.body == ANSWER_TEXT


def test_the_asker_may_edit_their_own_answer_on_their_own_question_awaiting_review():
    world = make_world(Status.APPROVED)
    Question.objects.filter(pk=world.host.pk).update(status=Status.PENDING, author=world.author)
    response = client_for("author", world).get(reverse("forum:answer_edit", args=[world.answer.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("question_state", QUESTION_STATES_CLOSED_TO_ANSWER_EDITS)
def test_moderators_may_still_edit_answers_under_a_question_that_is_not_public(question_state):
    world = make_world(Status.APPROVED)
    Question.objects.filter(pk=world.host.pk).update(status=question_state)
    response = client_for("moderator", world).post(
        reverse("forum:answer_edit", args=[world.answer.pk]),
        {"body": "Edited: a calm bedtime ritual helped."},
    )
    assert response.status_code == 302
    world.answer.refresh_from_db()
    assert world.answer.body == "Edited: a calm bedtime ritual helped."


@matrix
@roles
def test_history_pages(role, state):
    """The public revision history follows the one visibility rule, and never shows a proposed edit."""
    world = make_world(state)
    for post, name in ((world.question, "forum:question_history"), (world.answer, "forum:answer_history")):
        Revision.objects.create(
            **{post.kind_name: post}, editor=world.author, body="Zanzibarproposal text.", is_proposal=True,
            status=Revision.State.PENDING,
        )  # fmt: skip
        response = client_for(role, world).get(reverse(name, args=[post.pk]))
        visible = state == Status.APPROVED or role in SEES_NON_PUBLIC
        assert response.status_code == (200 if visible else 404)
        if visible:
            assert "Zanzibarproposal" not in response.content.decode()


# --- Moderation -------------------------------------------------------------------------------------------


def expected_for_moderators(role):
    return {"anonymous": "login", "member": 403, "author": 403, "moderator": 200}[role]


@matrix
@roles
def test_moderation_queue(role, state):
    world = make_world(state)
    response = client_for(role, world).get(reverse("forum:moderation_queue"))
    check(response, expected_for_moderators(role))
    if role == "moderator":
        page = response.content.decode()
        assert (QUESTION_TITLE in page) == (state == Status.PENDING)
        assert (ANSWER_TEXT in page) == (state == Status.PENDING)


@matrix
@roles
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("kind", ["question", "answer"])
def test_moderation_decide(role, state, htmx, kind):
    world = make_world(state)
    item = world.question if kind == "question" else world.answer
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(role, world).post(
        reverse("forum:moderation_decide", args=[kind, item.pk]), {"decision": "approve"}, **headers
    )
    if role != "moderator":
        check(response, expected_for_moderators(role))
        item.refresh_from_db()
        assert item.status == state
        assert not AuditEntry.objects.exists()
        return
    item.refresh_from_db()
    if state == Status.PENDING:
        assert response.status_code == (200 if htmx else 302)
        assert item.status == Status.APPROVED
        assert AuditEntry.objects.filter(action="approve", target_id=item.pk).count() == 1
    else:
        assert response.status_code == (409 if htmx else 302)
        assert item.status == state
        assert not AuditEntry.objects.exists()
        if htmx:
            expected = f"Already {state.label.lower()} by Morgan Moderator."
            assert expected in response.content.decode()


def test_moderation_decide_on_an_unknown_kind_is_404(moderator_client):
    response = moderator_client.post(
        reverse("forum:moderation_decide", args=["vote", 1]), {"decision": "approve"}
    )
    assert response.status_code == 404


@roles
def test_audit_log(role):
    world = make_world(Status.PENDING)
    review.reject(moderator=world.moderator, item=world.question, reason="Please leave out names.")
    response = client_for(role, world).get(reverse("forum:audit_log"))
    check(response, expected_for_moderators(role))
    if role == "moderator":
        assert "Please leave out names." in response.content.decode()


# --- Lists, counts, tags, related, search, profiles -------------------------------------------------------


def list_pages(world: World) -> dict[str, str]:
    return {
        "home": reverse("forum:home"),
        "category": reverse("forum:category", args=["conditions"]),
        "tag": reverse("forum:tag", args=["zebratag"]),
        "search": reverse("forum:search") + "?q=zebrafinch",
        "related": world.neighbour.get_absolute_url(),
        "profile": reverse("people:profile", args=[world.author.pk]),
    }


@matrix
@roles
@pytest.mark.parametrize("page", ["home", "category", "tag", "search", "related", "profile"])
def test_lists_show_only_public_questions(role, state, page):
    world = make_world(state)
    response = client_for(role, world).get(list_pages(world)[page])
    assert response.status_code == 200
    html = response.content.decode()
    if state == Status.APPROVED:
        assert QUESTION_TITLE in html
    elif role not in SEES_NON_PUBLIC:
        assert QUESTION_TITLE not in html
    if page == "related" or page == "profile":
        # Related questions and public profiles list public content only, whoever looks.
        assert (QUESTION_TITLE in html) == (state == Status.APPROVED)


@matrix
@roles
def test_answer_counts_and_pages_count_public_answers_only(role, state):
    world = make_world(state)
    client = client_for(role, world)
    public_answers = 2 if state == Status.APPROVED else 1
    world.host.refresh_from_db()
    assert world.host.answer_count == public_answers

    page = client.get(world.host.get_absolute_url()).content.decode()
    assert f"<span data-answer-count>{public_answers}</span>" in page
    assert (ANSWER_TEXT in page) == (state == Status.APPROVED or role in SEES_NON_PUBLIC)

    home = client.get(reverse("forum:home")).content.decode()
    row = home[home.index(f'id="question-row-{world.host.pk}"') :]
    assert f"<strong>{public_answers}</strong> answer" in row[: row.index("</li>")]

    profile = client.get(reverse("people:profile", args=[world.author.pk])).content.decode()
    assert (world.host.title in profile) == (state == Status.APPROVED)


@matrix
def test_category_counts_include_approved_questions_only(state):
    make_world(state)
    counts = {c.slug: c.public_count for c in selectors.categories_with_counts()}
    assert counts["conditions"] == (2 if state == Status.APPROVED else 1)


@matrix
def test_related_questions_are_public_only(state):
    world = make_world(state)
    related = selectors.related_questions(world.neighbour)
    assert (world.question in related) == (state == Status.APPROVED)


# --- Anonymous questions ----------------------------------------------------------------------------------


@roles
@pytest.mark.parametrize("page", ["question", "home", "category", "tag", "search", "profile"])
def test_anonymous_question_never_names_its_author_to_non_moderators(role, page):
    world = make_world(Status.APPROVED, anonymous=True)
    url = world.question.get_absolute_url() if page == "question" else list_pages(world)[page]
    html = main_of(client_for(role, world).get(url))
    if page == "profile":
        # The author's own profile must not list the anonymous question, or it would name its asker.
        assert QUESTION_TITLE not in html
        return
    assert QUESTION_TITLE in html
    author_link = world.author.get_absolute_url()
    if role == "moderator":  # moderators see who asked, marked as posted anonymously
        assert AUTHOR_NAME in html
        assert "posted anonymously" in html
    else:
        assert "Anonymous member" in html
        assert f'href="{author_link}"' not in html
        assert "Vermont" not in html
        assert AUTHOR_NAME not in html


@roles
def test_asker_replying_on_their_anonymous_question_stays_anonymous(role):
    world = make_world(Status.APPROVED, anonymous=True)
    AnswerFactory(question=world.question, author=world.author, body="Update from me: it got better.")
    publication.refresh_answer_count(world.question.pk)
    html = main_of(client_for(role, world).get(world.question.get_absolute_url()))
    assert "Update from me: it got better." in html
    if role == "moderator":
        assert AUTHOR_NAME in html
    else:
        assert f'href="{world.author.get_absolute_url()}"' not in html
        assert AUTHOR_NAME not in html
    profile = client_for(role, world).get(reverse("people:profile", args=[world.author.pk]))
    assert QUESTION_TITLE not in profile.content.decode()


# --- Deleted: gone for everyone but moderators, its author included, on every path --------------------------


@dataclass
class DeletedWorld:
    author: User
    member: User
    moderator: User
    question: Question  # deleted, by `author`
    answer_on_it: Answer  # approved, by `author`, on the deleted question
    answer: Answer  # deleted, by `author`, on an approved question asked by `member`


def make_deleted_world() -> DeletedWorld:
    author = UserFactory(display_name=AUTHOR_NAME)
    member = UserFactory()
    question = QuestionFactory(author=author, title=QUESTION_TITLE, status=Status.DELETED)
    answer_on_it = AnswerFactory(question=question, author=author, body=ANSWER_TEXT)
    host = QuestionFactory(author=member, title="What helps with winter tiredness?")
    answer = AnswerFactory(question=host, author=author, body=ANSWER_TEXT, status=Status.DELETED)
    return DeletedWorld(author, member, make_moderator(), question, answer_on_it, answer)


def _deleted_paths(w: DeletedWorld) -> dict:
    """name: (method, url, data, what a moderator gets)"""

    q, a, a_on_q = w.question.pk, w.answer.pk, w.answer_on_it.pk
    edit_question = {"title": "An edited title about zebrafinch dreams", "body": "Edited body " * 3}
    edited = {"body": "Edited: a calm bedtime ritual helped."}
    vote, flag = {"value": "up"}, {"reason": "spam"}
    notification = Notification.objects.create(
        recipient=w.author,
        kind="approved",
        text="Your question was approved",
        url=w.question.get_absolute_url(),
    )
    return {
        "thanks page": ("get", reverse("forum:ask_done", args=[q]), None, 404),  # the author's page only
        "question page": ("get", w.question.get_absolute_url(), None, 200),
        "notification link": ("get", notification.url, None, 200),
        "question edit page": ("get", reverse("forum:question_edit", args=[q]), None, 200),
        "question edit": ("post", reverse("forum:question_edit", args=[q]), edit_question, None),
        "answer the question": ("post", reverse("forum:answer_create", args=[q]), edited, None),
        "vote on the question": ("post", reverse("forum:vote", args=["question", q]), vote, None),
        "flag the question": ("post", reverse("forum:flag", args=["question", q]), flag, None),
        "answer edit page": ("get", reverse("forum:answer_edit", args=[a]), None, 200),
        "answer edit": ("post", reverse("forum:answer_edit", args=[a]), edited, None),
        "vote on the answer": ("post", reverse("forum:vote", args=["answer", a]), vote, None),
        "accept the answer": ("post", reverse("forum:accept", args=[a]), {}, None),
        "flag the answer": ("post", reverse("forum:flag", args=["answer", a]), flag, None),
        "edit page of an answer on it": ("get", reverse("forum:answer_edit", args=[a_on_q]), None, 200),
        "edit an answer on it": ("post", reverse("forum:answer_edit", args=[a_on_q]), edited, None),
        "vote on an answer on it": ("post", reverse("forum:vote", args=["answer", a_on_q]), vote, None),
        "flag an answer on it": ("post", reverse("forum:flag", args=["answer", a_on_q]), flag, None),
    }


DELETED_PATHS = [
    "thanks page", "question page", "notification link", "question edit page", "question edit",
    "answer the question", "vote on the question", "flag the question", "answer edit page", "answer edit",
    "vote on the answer", "accept the answer", "flag the answer", "edit page of an answer on it",
    "edit an answer on it", "vote on an answer on it", "flag an answer on it",
]  # fmt: skip


@pytest.mark.parametrize("path", DELETED_PATHS)
@pytest.mark.parametrize("role", ["author", "member"])
def test_deleted_content_is_gone_for_everyone_but_moderators_on_every_path(role, path):

    world = make_deleted_world()
    method, url, data, _ = _deleted_paths(world)[path]
    client = Client()
    client.force_login(getattr(world, role))
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 404
    assert QUESTION_TITLE not in response.content.decode()
    assert ANSWER_TEXT not in response.content.decode()
    world.question.refresh_from_db()
    world.answer.refresh_from_db()
    world.answer_on_it.refresh_from_db()
    assert world.question.title == QUESTION_TITLE
    assert world.answer.body == world.answer_on_it.body == ANSWER_TEXT
    assert not Vote.objects.exists()
    assert not Flag.objects.exists()
    assert Answer.objects.count() == 2


# What a moderator opens (the thanks page is the author's own, so theirs is a 404 like anyone else's).
MODERATOR_PAGES = [p for p in DELETED_PATHS if p.endswith("page") and p != "thanks page"] + [
    "notification link"
]


@pytest.mark.parametrize("path", MODERATOR_PAGES)
def test_moderators_still_see_deleted_content(path, moderator_client):
    world = make_deleted_world()
    _, url, _, for_moderators = _deleted_paths(world)[path]
    assert moderator_client.get(url).status_code == for_moderators == 200

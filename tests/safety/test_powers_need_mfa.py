"""No power without TOTP: a moderator or a verified expert who never set up two-factor authentication is a
member everywhere (accounts.mfa.powers_unlocked, asked by every function that grants a power).

The HTTP test walks every URL pattern of the project and the socket tests every stream kind and socket
action. Each URL is classified below; a new pattern that is not fails the test until someone decides what
it is. Member pages may answer 200; power pages and member pages about another member's own things must
not; and no POST anywhere may leave a trace of a power (a change to another member's content, an audit
entry by the user, an appeal closed or answered, a sanction, an expert decision).
"""

import inspect
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import ExpertApplication, ExpertCredential, ExpertDocument
from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.inbox import claims as expert_claims
from forum.live.consumers import STREAM_RE, LiveConsumer
from forum.models import Answer, Appeal, AppealMessage, Flag, Question, Sanction, Saved, Status
from tests.factories import (
    AnswerFactory,
    QuestionFactory,
    UserFactory,
    add_totp,
    category,
    established_member,
    make_expert,
    make_moderator,
)
from tests.live.conftest import _private_live_streams, open_socket, receive, run, subscribe  # noqa: F401

# Public and member pages: they may answer 200 to anyone logged in.
MEMBER_PAGES = {
    "healthz",
    "metrics",  # no member power: a token or a loopback address (community.metrics.endpoint)
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key_done",
    "account_reset_password_from_key",
    "account_reset_password_done",
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "accounts:profile_edit",
    "accounts:export",
    "accounts:delete_account",
    "people:profile",
    "people:experts",
    "accounts:expert_apply",
    "accounts:expert_application",
    "accounts:expert_statement",  # a paused expert re-confirms their statement: a member's own page
    "accounts:badges",
    "accounts:badge",
    "forum:home",
    "forum:ask",
    "forum:question_short",
    "forum:question",
    "forum:answer_create",
    "forum:accept",
    "forum:vote",
    "forum:expert_qa",
    "forum:category",
    "forum:tag",
    "forum:search",
    "forum:tags",
    "forum:unanswered",
    "forum:markdown_preview",
    "forum:similar_questions",  # published titles only (forum.similar), as the search shows anyone
    "forum:mention_suggest",  # active members' public names; a question's participants only if the viewer may see it
    "notifications:centre",
    "notifications:read",
    "notifications:read_all",
    "notifications:preferences",
    "forum:flag",
    "forum:save",  # saving another member's post awaiting review is refused to everyone (forum.saving)
    "forum:saved",
    "forum:notices",
    "forum:crisis_phrases",
    "forum:terms",
    "forum:privacy",
    "forum:comment_policy",
    r"^media/(?P<path>.*)$",  # development only (DEBUG)
    # The read API (forum.api) and the embeddable expert box (forum.embed): read only, as a visitor.
    "api:api-root",
    "api:openapi-json",
    "api:list_questions",
    "api:get_question",
    "api:list_answers",
    "api:get_answer",
    "api:list_featured_answers",
    "api:list_categories",
    "api:get_category",
    "api:list_tags",
    "api:get_tag",
    "api:list_experts",
    "api:get_expert",
    "api:not_found",
    "embed:box",
    "embed:items",
    "embed:demo",
    # forum.discovery: public, the same for everyone (robots.txt, sitemaps, feeds, manifest, offline page)
    "discovery:robots",
    "discovery:sitemap",
    "discovery:sitemap_section",
    "discovery:manifest",
    "discovery:service_worker",
    "discovery:offline",
    "discovery:feed_questions",
    "discovery:feed_questions_atom",
    "discovery:feed_category",
    "discovery:feed_category_atom",
    "discovery:feed_tag",
    "discovery:feed_tag_atom",
    "discovery:feed_featured",
    "discovery:feed_featured_atom",
    "discovery:feed_expert",
    "discovery:feed_expert_atom",
}
# Member pages about one member's own things: for another member's, they must refuse.
OWNER_PAGES = {
    "forum:ask_done",
    "forum:question_edit",
    "forum:answer_edit",
    "forum:appeal_new",
    "forum:appeal",
    # Public for public posts; for another member's post awaiting review (the targets) they must refuse.
    "forum:question_history",
    "forum:answer_history",
    # Another member's saved post and private note (forum.saving): a 404 for everyone else.
    "forum:saved_note",
    "forum:saved_remove",
}
# Moderators' and experts' pages and actions. The admin site (namespace "admin") is one of them, whole.
POWER_PAGES = {
    "forum:feature",
    "forum:awaiting_expert",
    "forum:expert_claim",
    "forum:expert_claim_release",
    "forum:moderation_queue",
    "forum:moderation_decide",
    "forum:audit_log",
    "forum:expert_overdue",
    "forum:flagged",
    "forum:flag_decide",
    "forum:appeals",
    "forum:member_moderation",
    "forum:member_sanction",
    "forum:sanction_lift",
    "forum:moderate_item",
    "forum:moderate_action",
    "accounts:expert_queue",
    "accounts:expert_review",
    "accounts:expert_decide",
    "accounts:expert_revoke",
    "accounts:expert_document",
}


@dataclass
class World:
    author: object
    question: Question
    answer: Answer
    pending_question: Question
    pending_answer: Answer
    expert_answer: Answer
    original: Question
    appeal: Appeal
    warning: AuditEntry
    sanction: Sanction
    application: ExpertApplication
    document: ExpertDocument
    credential: ExpertCredential
    notification: Notification
    saved: Saved


def make_world() -> World:
    """Another member's content and affairs, each a target for some power."""
    author = established_member(display_name="Avery")
    question = QuestionFactory(author=author, title="What helps with night cramps in the calves?")
    question.tags.set(["sleep"])
    answer = AnswerFactory(question=question, author=author, body="Stretching before bed helps me.")
    Flag.objects.create(flagger=UserFactory(), answer=answer, reason="spam")
    expert = make_expert()
    warning = AuditEntry.objects.create(action="warn", subject=author, reason="Be kind.")
    appeal = Appeal.objects.create(member=author, entry=warning)
    AppealMessage.objects.create(appeal=appeal, author=author, body="I was only joking.")
    sanctioned = UserFactory()
    applicant = UserFactory()
    application = ExpertApplication.objects.create(
        applicant=applicant,
        profession="Nurse",
        credentials="Registered Nurse",
        institution="City Hospital",
        licence_number="RN-1",
        licence_issuer="Nursing Board",
    )
    application.specialties.add(category("conditions"))
    return World(
        author=author,
        question=question,
        answer=answer,
        pending_question=QuestionFactory(author=author, status=Status.PENDING),
        pending_answer=AnswerFactory(question=question, author=author, status=Status.PENDING),
        expert_answer=AnswerFactory(question=question, author=expert, body="Check your magnesium level."),
        original=QuestionFactory(),
        appeal=appeal,
        warning=warning,
        sanction=Sanction.objects.create(
            member=sanctioned, kind="suspend", reason="Spam.", ends_at=timezone.now() + timedelta(days=3)
        ),
        application=application,
        document=ExpertDocument.objects.create(
            application=application,
            file="expert-documents/licence.pdf",
            original_name="licence.pdf",
            content_type="application/pdf",
            size=10,
        ),
        credential=expert.expert_credential,
        notification=Notification.objects.create(recipient=author, kind="moderation", text="A notice."),
        saved=Saved.objects.create(member=author, question=question, note="Avery's private note"),
    )


# What fills each URL's arguments (one request per entry: kwargs, and POST data over POST_DATA).
def targets(w: World) -> dict[str, list[tuple[dict, dict]]]:
    question, answer = w.question, w.answer
    return {
        "people:profile": [({"pk": w.author.pk}, {})],
        "accounts:badge": [({"code": "first-question"}, {})],
        "accounts:expert_review": [({"pk": w.application.pk}, {})],
        "accounts:expert_decide": [
            ({"pk": w.application.pk}, {"decision": "approve"}),
            ({"pk": w.application.pk}, {"decision": "reject"}),
        ],
        "accounts:expert_revoke": [({"pk": w.application.pk}, {})],
        "accounts:expert_document": [({"pk": w.document.pk}, {})],
        "forum:ask_done": [({"pk": w.pending_question.pk}, {})],
        "forum:question_short": [({"pk": w.pending_question.pk}, {})],
        "forum:question_edit": [({"pk": question.pk}, {}), ({"pk": w.pending_question.pk}, {})],
        "forum:answer_create": [({"pk": w.pending_question.pk}, {})],
        "forum:question": [({"pk": w.pending_question.pk, "slug": w.pending_question.slug}, {})],
        "forum:answer_edit": [({"pk": answer.pk}, {}), ({"pk": w.pending_answer.pk}, {})],
        "forum:question_history": [({"pk": w.pending_question.pk}, {})],
        "forum:answer_history": [({"pk": w.pending_answer.pk}, {})],
        "forum:accept": [({"pk": answer.pk}, {})],
        "forum:feature": [({"pk": w.expert_answer.pk}, {})],
        "forum:expert_claim": [({"pk": question.pk}, {})],
        "forum:expert_claim_release": [({"pk": question.pk}, {})],
        "forum:vote": [({"kind": "answer", "pk": w.pending_answer.pk}, {})],
        "forum:category": [({"slug": question.category.slug}, {})],
        "forum:tag": [({"slug": "sleep"}, {})],
        "forum:moderation_decide": [
            ({"kind": "question", "pk": w.pending_question.pk}, {"decision": "approve"}),
            ({"kind": "answer", "pk": w.pending_answer.pk}, {"decision": "reject"}),
        ],
        "notifications:read": [({"pk": w.notification.pk}, {})],
        "forum:flag": [({"kind": "answer", "pk": w.pending_answer.pk}, {})],
        "forum:save": [({"kind": "answer", "pk": w.pending_answer.pk}, {"action": "save"})],
        "forum:saved_note": [({"pk": w.saved.pk}, {"note": "Changed by someone else"})],
        "forum:saved_remove": [({"pk": w.saved.pk}, {})],
        "forum:flag_decide": [({"kind": "answer", "pk": answer.pk}, {"decision": "remove"})],
        "forum:member_moderation": [({"pk": w.author.pk}, {})],
        "forum:member_sanction": [({"pk": w.author.pk}, {})],
        "forum:sanction_lift": [({"pk": w.sanction.pk}, {})],
        "forum:moderate_item": [({"kind": "answer", "pk": answer.pk}, {})],
        "forum:moderate_action": [
            ({"kind": "answer", "pk": answer.pk, "action": "hide"}, {}),
            ({"kind": "answer", "pk": answer.pk, "action": "delete"}, {}),
            ({"kind": "question", "pk": question.pk, "action": "lock"}, {}),
            ({"kind": "question", "pk": question.pk, "action": "close"}, {}),
        ],
        "forum:appeal_new": [({"entry_pk": w.warning.pk}, {})],
        "forum:appeal": [({"pk": w.appeal.pk}, {}), ({"pk": w.appeal.pk}, {"action": "close"})],
        "api:get_question": [({"question_id": w.pending_question.pk}, {})],
        "api:list_answers": [({"question_id": question.pk}, {})],
        "api:get_answer": [({"answer_id": w.pending_answer.pk}, {})],
        "api:get_category": [({"slug": question.category.slug}, {})],
        "api:get_tag": [({"slug": "sleep"}, {})],
        "api:get_expert": [({"expert_id": w.credential.user_id}, {})],
        "account_confirm_email": [({"key": "not-a-key"}, {})],
        "discovery:sitemap_section": [({"section": "questions"}, {})],
        "discovery:feed_category": [({"slug": question.category.slug}, {})],
        "discovery:feed_category_atom": [({"slug": question.category.slug}, {})],
        "discovery:feed_tag": [({"slug": "sleep"}, {})],
        "discovery:feed_tag_atom": [({"slug": "sleep"}, {})],
        "discovery:feed_expert": [({"pk": w.expert_answer.author_id}, {})],
        "discovery:feed_expert_atom": [({"pk": w.expert_answer.author_id}, {})],
        "account_reset_password_from_key": [({"uidb36": "1", "key": "not-a-key"}, {})],
    }


def post_data(w: World) -> dict:
    """A form that would succeed for whoever holds the power (every field any of the forms reads)."""
    return {
        "reason": "Checking who may do this.",
        "decision": "approve",
        "title": "Rewritten by someone without two-factor authentication",
        "body": "Rewritten by someone without two-factor authentication, who is a member here.",
        "category": w.question.category_id,
        "tags": "sleep",
        "edit_reason": "Checking powers.",
        "kind": "suspend",
        "days": "3",
        "hide_content": "on",
        "original": w.original.pk,
        "value": "up",
        "text": "Checking powers.",
        "accept_terms": "on",
    }


def admin_kwargs(pattern, w: World) -> dict:
    fill = {
        "app_label": "forum",
        "object_id": str(w.question.pk),
        "content_type_id": ContentType.objects.get_for_model(Question).pk,
    }
    return {name: fill.get(name, w.question.pk) for name in pattern.pattern.regex.groupindex}


def url_patterns(patterns=None, prefix="", namespace=None):
    """(key, namespace, name, pattern, route) for every URL pattern; key: the name, or the route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, namespace, name, pattern, route


def requests_for(w: World):
    """(key, class, url, POST data) for every URL pattern of the project."""
    table, base = targets(w), post_data(w)
    for key, namespace, name, pattern, route in url_patterns():
        if namespace == "admin":
            if name is None:  # redirects into the admin and its catch-all: under /admin/ all the same
                url = "/admin/forum/question/" if "(?P<url>" in route else f"/{route.split('<')[0]}1/"
            else:
                url = reverse(name, kwargs=admin_kwargs(pattern, w))
            yield key, "power", url, base
            continue
        kind = "member" if key in MEMBER_PAGES else "owner" if key in OWNER_PAGES else "power"
        assert key in MEMBER_PAGES | OWNER_PAGES | POWER_PAGES, f"classify the new URL {key!r} in this test"
        if not pattern.pattern.regex.groupindex:
            yield key, kind, reverse(name) if name else "/" + route, base
            continue
        if name is None:  # an unnamed file route (media under DEBUG): a path below its prefix
            yield key, kind, "/" + route.lstrip("^").split("(")[0] + "missing.png", base
            continue
        assert key in table, f"say which object fills the arguments of {key!r} (targets)"
        for kwargs, extra in table[key]:
            yield key, kind, reverse(name, kwargs=kwargs), {**base, **extra}


def traces(w: World, user) -> dict:
    """What any power would change: another member's content, decisions, appeals, sanctions, experts."""
    posts = [
        (type(p).__name__, p.pk, p.status, p.title, p.body, p.decided_by_id, p.is_urgent)
        for p in [
            *Question.objects.filter(author__in=[w.author, w.original.author]),
            *Answer.objects.filter(pk__in=[w.answer.pk, w.pending_answer.pk, w.expert_answer.pk]),
        ]
    ]
    question = Question.objects.get(pk=w.question.pk)
    return {
        "posts": sorted(posts),
        "question": (question.is_locked, question.duplicate_of_id, question.accepted_answer_id),
        "featured": Answer.objects.get(pk=w.expert_answer.pk).is_featured,
        "audited_by_user": AuditEntry.objects.filter(actor=user).count(),
        "appeal": (Appeal.objects.get(pk=w.appeal.pk).state, w.appeal.messages.count()),
        "sanctions": list(Sanction.objects.values_list("pk", "lifted_at")),
        "application": ExpertApplication.objects.get(pk=w.application.pk).status,
        "credential": ExpertCredential.objects.get(pk=w.credential.pk).revoked_at,
        "flags": list(Flag.objects.values_list("pk", "resolved_at")),
        "saved": list(Saved.objects.values_list("pk", "member_id", "note")),
        "answering": expert_claims.current_claim(w.question.pk),  # "I'm answering this" (forum.inbox)
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


ROLES = {
    # A moderator who may also use the admin site, and an expert; neither set up TOTP.
    "moderator": lambda: make_moderator(mfa=False, is_staff=True),
    "expert": lambda: make_expert(mfa=False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_url_grants_a_power_without_totp(role):
    world, user = make_world(), ROLES[role]()
    before = traces(world, user)
    granted, seen = [], set()
    for key, kind, url, data in requests_for(world):
        seen.add(key)
        response = logged_in(user).get(url)
        if kind != "member" and response.status_code == 200:
            granted.append(f"GET {url} ({key}) answered 200")
        logged_in(user).post(url, data)
        if traces(world, user) != before:
            granted.append(f"POST {url} ({key}) used a power")
            before = traces(world, user)
    assert granted == []
    assert seen >= POWER_PAGES | OWNER_PAGES  # every classified name was reached (none renamed away)
    assert any(key.startswith("admin:") for key in seen)


@pytest.mark.django_db
def test_a_moderator_without_totp_is_offered_the_setup_and_sees_no_moderator_links():
    world, user = make_world(), make_moderator(mfa=False)
    client = logged_in(user)
    page = client.get(world.question.get_absolute_url()).content.decode()
    assert "data-mfa-setup" in page and reverse("mfa_activate_totp") in page
    assert reverse("forum:moderate_item", args=["question", world.question.pk]) not in page
    assert reverse("forum:question_edit", args=[world.question.pk]) not in page
    response = client.get(reverse("forum:appeals"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    add_totp(user)
    page = logged_in(user).get(world.question.get_absolute_url()).content.decode()
    assert "data-mfa-setup" not in page
    assert reverse("forum:moderate_item", args=["question", world.question.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_with_totp_the_same_people_keep_their_powers(role):
    """The control: the world above does show powers to whoever may use them."""
    world, user = make_world(), add_totp(ROLES[role]())
    client = logged_in(user)
    if role == "moderator":
        urls = [
            reverse("forum:question_edit", args=[world.question.pk]),
            reverse("forum:answer_edit", args=[world.answer.pk]),
            reverse("forum:appeal", args=[world.appeal.pk]),
            reverse("forum:moderation_queue"),
            reverse("admin:index"),
        ]
    else:
        urls = [reverse("forum:awaiting_expert")]
    for url in urls:
        assert client.get(url).status_code == 200, url
    if role == "moderator":
        client.post(reverse("forum:answer_edit", args=[world.answer.pk]), post_data(world))
        assert "Rewritten by someone" in Answer.objects.get(pk=world.answer.pk).body


# --- The socket ------------------------------------------------------------------------------------------------

# Every kind of stream the consumer accepts, and every action it takes (forum.live.consumers).
STREAM_KINDS = {"feed.home", "feed.category", "feed.tag", "question", "moderation", "experts", "user"}
SOCKET_ACTIONS = {"subscribe", "vote"}


def test_every_stream_kind_and_socket_action_is_classified():
    kinds = {
        re.match(r"(?:[a-z]+\\\.)*[a-z]+", alternative).group().replace("\\.", ".")
        for alternative in STREAM_RE.pattern.strip("^$()").split("|")
    }
    assert kinds == STREAM_KINDS, "classify the new stream kind in the socket test below"
    actions = set(
        re.findall(r'message\["(\w+)"\]|"(\w+)" in message', inspect.getsource(LiveConsumer.receive))
    )
    assert {a or b for a, b in actions} == SOCKET_ACTIONS, "check the new socket action below"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ROLES)
async def test_the_socket_grants_no_power_without_totp(role):
    user = await run(ROLES[role])()
    world = await run(make_world)()
    hidden = await run(QuestionFactory)(author=world.author, status=Status.HIDDEN)
    socket = await open_socket(user)
    allowed = {
        "feed.home": True,
        "feed.category.mental-health": True,
        "feed.tag.sleep": True,
        f"question.{world.question.pk}": True,
        f"question.{world.pending_question.pk}": False,
        f"question.{hidden.pk}": False,
        "moderation": False,
        "experts": False,  # "I'm answering this" (forum.inbox.claims): acting experts only
        f"user.{world.author.pk}": False,
        f"user.{user.pk}": True,
    }
    answers = await subscribe(socket, *allowed)
    assert {a.get("subscribed") or a.get("denied"): "subscribed" in a for a in answers} == allowed
    # Votes: a member's, on what members can see; another member's pending answer is not among it.
    await socket.send_json_to(
        {"vote": {"kind": "answer", "id": world.pending_answer.pk, "value": "up"}, "ref": 1}
    )
    reply = await receive(socket)
    assert "vote_refused" in reply
    await socket.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_the_moderation_stream_opens_once_the_moderator_has_totp():
    user = await run(make_moderator)(mfa=True)
    socket = await open_socket(user)
    assert (await subscribe(socket, "moderation"))[0].get("subscribed") == "moderation"
    await socket.disconnect()


@pytest.mark.django_db
@pytest.mark.parametrize("totp", [False, True], ids=["without_totp", "with_totp"])
def test_an_expert_answers_without_review_only_with_totp(settings, totp):
    settings.FORUM_EXPERT_ANSWERS_SKIP_REVIEW = True
    question = QuestionFactory()
    expert = make_expert(mfa=totp)
    response = logged_in(expert).post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Night cramps often ease with calf stretches before bed.", "accept_terms": "on"},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(author=expert)
    assert answer.status == (Status.APPROVED if totp else Status.PENDING)

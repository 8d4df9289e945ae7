"""The admin: every registered model opens for a superuser, the audit log is read-only, and moderation
actions go through the same services as the site."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Badge, BadgeAward, ExpertApplication
from community.audit.models import AuditEntry
from forum.models import Answer, Appeal, Flag, Question, Revision, Sanction, Status, Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, add_totp, category

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser_client():
    user = add_totp(UserFactory(is_staff=True, is_superuser=True, display_name="Root"))  # staff need 2FA
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def populated(db):
    """A row of every registered model: the demo data plus what it does not create."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    member = UserFactory()
    question = Question.objects.filter(status=Status.APPROVED).first()
    answer = Answer.objects.filter(status=Status.APPROVED).first()
    Vote.objects.create(voter=member, answer=answer, value=Vote.UP)
    Flag.objects.create(flagger=member, question=question, reason=Flag.Reason.SPAM)
    application = ExpertApplication.objects.create(
        applicant=member,
        profession="Nurse",
        credentials="Registered Nurse",
        institution="City Hospital",
        licence_number="RN-1",
        licence_issuer="Nursing Board",
    )
    application.specialties.add(category("conditions"))
    BadgeAward.objects.get_or_create(user=member, badge=Badge.objects.first())
    add_totp(member)  # an mfa.Authenticator row
    entry = AuditEntry.objects.first()
    Sanction.objects.create(
        member=member,
        kind=Sanction.Kind.choices[0][0],
        reason="Spam links.",
        ends_at=timezone.now() + timedelta(days=1),
    )
    Appeal.objects.create(member=member, entry=entry)
    Revision.objects.create(question=question, editor=question.author, title=question.title, body="Before.")


@pytest.mark.slow
def test_superuser_opens_changelist_search_and_change_page_of_every_registered_model(
    superuser_client, populated
):
    problems = []
    for model in REGISTERED:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = superuser_client.get(reverse(f"{prefix}_changelist"))
        if changelist.status_code != 200:
            problems.append(f"{model._meta.label} changelist: {changelist.status_code}")
        if admin.site._registry[model].search_fields:
            searched = superuser_client.get(reverse(f"{prefix}_changelist"), {"q": "a"})
            if searched.status_code != 200:
                problems.append(f"{model._meta.label} search: {searched.status_code}")
        row = model._default_manager.order_by("pk").first()
        if row is None:
            problems.append(f"{model._meta.label}: the fixture made no row to open")
            continue
        change = superuser_client.get(reverse(f"{prefix}_change", args=[row.pk]))
        if change.status_code != 200:
            problems.append(f"{model._meta.label} change page: {change.status_code}")
    assert problems == []
    assert len(REGISTERED) >= 15


def test_audit_log_is_read_only_in_the_admin(superuser_client, populated):
    entry = AuditEntry.objects.first()
    before = (entry.action, entry.reason, entry.actor_id)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = superuser_client.get(change_url).content.decode()
    assert 'name="_save"' not in page
    assert superuser_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert superuser_client.post(change_url, {"action": "forged", "reason": "x"}).status_code == 403
    assert superuser_client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    bulk_delete = superuser_client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk_delete.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.action, entry.reason, entry.actor_id) == before


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_admin_approve_action_goes_through_the_service(superuser_client, kind):
    item = (
        QuestionFactory(status=Status.PENDING) if kind == "question" else AnswerFactory(status=Status.PENDING)
    )
    decided = (
        QuestionFactory(status=Status.REJECTED)
        if kind == "question"
        else AnswerFactory(status=Status.REJECTED)
    )
    response = superuser_client.post(
        reverse(f"admin:forum_{kind}_changelist"),
        {"action": "approve_selected", "_selected_action": [item.pk, decided.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 item decided." in response.content.decode()
    item.refresh_from_db()
    decided.refresh_from_db()
    assert item.status == Status.APPROVED
    assert decided.status == Status.REJECTED  # only pending items are decided
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id, entry.actor.display_name) == ("approve", item.pk, "Root")
    if kind == "answer":
        item.question.refresh_from_db()
        assert item.question.answer_count == 1  # the service recounted the question's public answers


def test_staff_without_moderate_permission_cannot_approve_from_the_admin():
    staff = add_totp(UserFactory(is_staff=True))
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_question", "change_question"], content_type__app_label="forum"
        )
    )
    client = Client()
    client.force_login(staff)
    item = QuestionFactory(status=Status.PENDING)
    page = client.get(reverse("admin:forum_question_changelist"))
    assert page.status_code == 200
    assert "approve_selected" not in page.content.decode()
    client.post(
        reverse("admin:forum_question_changelist"),
        {"action": "approve_selected", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.status == Status.PENDING
    assert not AuditEntry.objects.exists()

"""Experts' conflict-of-interest statements: required to be verified, re-confirmed every
EXPERT_COI_CONFIRM_DAYS (reminded 30 days before; the badge pauses after), shown under every expert answer."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import verification
from accounts.models import NONE_DECLARED, ExpertApplication, ExpertCredential
from community import page_cache
from community.mail.models import OutboundEmail
from community.notifications.models import Notification
from tests.accounts.test_experts import application_data, decide, pdf
from tests.factories import AnswerFactory, QuestionFactory, category, make_expert

pytestmark = pytest.mark.django_db


def lapse(expert, days_ago=1, *, settings):
    """The expert's statement was last confirmed EXPERT_COI_CONFIRM_DAYS + `days_ago` days ago."""
    confirmed = timezone.now() - timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS + days_ago)
    ExpertCredential.objects.filter(user=expert).update(coi_confirmed_at=confirmed)


# --- Required at application and at verification ------------------------------------------------------------


def test_the_application_form_requires_a_statement_and_keeps_what_was_typed(member_client):
    data = application_data()
    data.pop("none_declared")
    response = member_client.post(reverse("accounts:expert_apply"), {**data, "documents": [pdf()]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A statement is required" in page
    assert "Lakeview University Hospital" in page  # what they typed is kept
    assert not ExpertApplication.objects.exists()


def test_none_declared_is_a_statement(member_client, member):
    response = member_client.post(reverse("accounts:expert_apply"), application_data())
    assert response.status_code == 302
    assert ExpertApplication.objects.get(applicant=member).conflict_of_interest == NONE_DECLARED


def test_both_none_declared_and_a_conflict_is_refused(member_client):
    data = {**application_data(), "conflict_of_interest": "Consults for Acme"}
    response = member_client.post(reverse("accounts:expert_apply"), data)
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_verification_is_refused_without_a_statement(member, moderator_client):
    # An application from before statements were required.
    application = ExpertApplication.objects.create(
        applicant=member, profession="Psychiatrist", credentials="Psychiatrist", institution="Lakeview",
        licence_number="MD-1", licence_issuer="Board", conflict_of_interest="",
    )  # fmt: skip
    application.specialties.add(category("mental-health"))
    response = decide(moderator_client, application, "approve")
    assert response.status_code == 400
    assert "no conflict-of-interest statement" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    assert not ExpertCredential.objects.filter(user=member).exists()


def test_an_older_application_gets_its_statement_with_the_reply(member_client, member, moderator_client):
    application = ExpertApplication.objects.create(
        applicant=member, profession="Psychiatrist", credentials="Psychiatrist", institution="Lakeview",
        licence_number="MD-1", licence_issuer="Board", conflict_of_interest="",
    )  # fmt: skip
    application.specialties.add(category("mental-health"))
    decide(moderator_client, application, "more_info", "Please add your conflict-of-interest statement.")
    page = member_client.get(reverse("accounts:expert_application")).content.decode()
    assert "None declared" in page
    url = reverse("accounts:expert_application")
    refused = member_client.post(url, {"reply": "Here it is."})
    assert refused.status_code == 400
    assert "A statement is required" in refused.content.decode()
    assert member_client.post(url, {"reply": "Here it is.", "none_declared": "on"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.conflict_of_interest) == ("pending", NONE_DECLARED)
    assert decide(moderator_client, application, "approve").status_code == 302
    assert ExpertCredential.objects.get(user=member).conflict_of_interest == NONE_DECLARED


def test_verification_records_the_confirmation(member_client, member, moderator_client):
    member_client.post(reverse("accounts:expert_apply"), application_data(conflict_of_interest="Shares in X"))
    decide(moderator_client, ExpertApplication.objects.get(), "approve")
    credential = ExpertCredential.objects.get(user=member)
    assert credential.conflict_of_interest == "Shares in X"
    assert abs((timezone.now() - credential.coi_confirmed_at).total_seconds()) < 60


# --- Paused after the period, restored by re-confirming -------------------------------------------------------


def test_a_lapsed_statement_pauses_the_badge_everywhere(client, settings):
    expert = make_expert(display_name="Dr. Ada Okafor")
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Shares in Calm Ltd")
    question = QuestionFactory()
    AnswerFactory(question=question, author=expert)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Mental Health Expert" in page
    assert "Shares in Calm Ltd" in page
    # Cached pages are not kept past the moment the statement falls due (community.page_cache's horizon).
    assert ExpertCredential.next_expiry() == ExpertCredential.objects.get(user=expert).coi_due_at

    lapse(expert, settings=settings)
    cache.delete(page_cache.HORIZON_KEY)  # as at the real due time: the cached pages end with it
    credential = ExpertCredential.objects.get(user=expert)
    assert not credential.is_active and credential.coi_paused
    assert not ExpertCredential.objects.active().filter(user=expert).exists()  # the one definition agrees
    expert.refresh_from_db()
    assert expert.active_expert is None
    assert ExpertCredential.next_expiry() is None
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Mental Health Expert" not in page
    assert "Shares in Calm Ltd" not in page
    assert expert.display_name not in client.get(reverse("people:experts")).content.decode()


def test_paused_expert_sees_the_notice_and_reconfirms_in_one_click(client, settings):
    expert = make_expert()
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Shares in Calm Ltd")
    question = QuestionFactory()
    AnswerFactory(question=question, author=expert)
    lapse(expert, settings=settings)
    client.force_login(expert)
    profile = client.get(expert.get_absolute_url()).content.decode()
    assert "Your expert badge is paused" in profile
    assert "Re-confirm my statement" in profile
    assert "Shares in Calm Ltd" in profile  # the current statement, filled in to confirm as it is

    response = client.post(
        reverse("accounts:expert_statement"), {"conflict_of_interest": "Shares in Calm Ltd"}
    )
    assert response.status_code == 302
    credential = ExpertCredential.objects.get(user=expert)
    assert credential.is_active
    assert "Your expert badge is paused" not in client.get(expert.get_absolute_url()).content.decode()
    client.logout()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Mental Health Expert" in page
    assert "Shares in Calm Ltd" in page


def test_rewording_the_statement_refreshes_the_cached_answer(client, settings):
    expert = make_expert()
    question = QuestionFactory()
    AnswerFactory(question=question, author=expert)
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Shares in Calm Ltd")
    assert "Shares in Calm Ltd" in client.get(question.get_absolute_url()).content.decode()  # now cached
    verification.reconfirm_statement(expert=expert, statement="Advisory board of Calm Ltd since 2026")
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Advisory board of Calm Ltd since 2026" in page
    assert "Shares in Calm Ltd" not in page


def test_an_empty_reconfirmation_is_refused(client):
    expert = make_expert()
    client.force_login(expert)
    response = client.post(reverse("accounts:expert_statement"), {"conflict_of_interest": "  "})
    assert response.status_code == 400
    assert "A statement is required" in response.content.decode()


def test_only_a_verified_expert_reconfirms(member_client, member):
    response = member_client.post(reverse("accounts:expert_statement"), {"none_declared": "on"})
    assert response.status_code == 302
    assert not ExpertCredential.objects.filter(user=member).exists()


# --- The reminder ----------------------------------------------------------------------------------------------


def test_the_reminder_is_sent_once_thirty_days_before(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    due = make_expert()
    later = make_expert()
    lapse(due, days_ago=-20, settings=settings)  # due in 20 days
    lapse(later, days_ago=-200, settings=settings)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_expiring_experts")
        call_command("notify_expiring_experts")
    reminders = Notification.objects.filter(text__contains="re-confirm your conflict-of-interest")
    assert list(reminders.values_list("recipient", flat=True)) == [due.pk]
    assert OutboundEmail.objects.filter(key__startswith="coi-reminder:").count() == 1
    emails = [m for m in mailoutbox if "conflict-of-interest" in m.subject]
    assert [m.to for m in emails] == [[due.email]]
    assert reverse("accounts:expert_statement") in emails[0].body
    # Re-confirming starts a new period: the next one is reminded again, a year on.
    verification.reconfirm_statement(expert=due, statement=NONE_DECLARED)
    assert ExpertCredential.objects.get(user=due).coi_notice_sent_at is None
    assert verification.notify_expiring_experts() == 0


def test_a_credential_from_before_confirmations_counts_from_its_verification(settings):
    expert = make_expert()
    ExpertCredential.objects.filter(user=expert).update(
        coi_confirmed_at=None,
        verified_at=timezone.now() - timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS + 1),
    )
    assert not ExpertCredential.objects.get(user=expert).is_active
    assert not ExpertCredential.objects.active().filter(user=expert).exists()


def test_the_statement_is_on_featured_expert_answers_too(client):
    expert = make_expert()
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Shares in Calm Ltd")
    AnswerFactory(author=expert, is_featured=True, featured_at=timezone.now())
    for url in (reverse("forum:home"), reverse("forum:expert_qa")):
        page = client.get(url).content.decode()
        assert "Conflict of interest:</strong> Shares in Calm Ltd" in page, url

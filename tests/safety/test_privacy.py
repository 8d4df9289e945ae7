"""Privacy: anonymity and hidden location everywhere, data export, account deletion, clean logs."""

import json
import logging

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from community.audit.models import AuditEntry
from community.live import events
from community.notifications.models import Notification
from forum.models import Answer, Flag, Question, Status, Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_anonymity_and_hidden_location_hold_on_pages_notifications_emails_and_live_events(
    moderator_client, monkeypatch
):
    published = []
    real_publish = events.publish

    def spy(stream, type, data=None, html="", **kwargs):
        if stream != events.MODERATION_STREAM:  # moderators may see who asked; every other stream may not
            published.append(json.dumps(data or {}) + html)
        return real_publish(stream, type, data, html=html, **kwargs)

    monkeypatch.setattr(events, "publish", spy)
    asker = UserFactory(display_name="Secret Sam", location="Hidden Town", show_location=False)
    answerer = UserFactory(display_name="Helpful Hana", location="Visible Village", show_location=True)
    expert = make_expert(display_name="Dr Erin")
    asker_client, answerer_client = login(asker), login(answerer)
    asker_client.post(
        reverse("forum:ask"),
        {
            "title": "Embarrassing question about a rash in a private place",
            "body": "I have had an itchy rash for two weeks and feel too ashamed to see my doctor.",
            "category": category("conditions").pk,
            "tags": "skin",
            "is_anonymous": "on",
            "accept_terms": "on",
        },
    )
    question = Question.objects.get()
    moderator_client.post(
        reverse("forum:moderation_decide", args=["question", question.pk]), {"decision": "approve"}
    )
    answerer_client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "A pharmacist can look at it discreetly, that helped me.", "accept_terms": "on"},
    )
    answer = Answer.objects.get()
    moderator_client.post(
        reverse("forum:moderation_decide", args=["answer", answer.pk]), {"decision": "approve"}
    )
    login(expert).post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Most rashes like this are easy to treat; please see a clinician.", "accept_terms": "on"},
    )
    asker_client.post(reverse("forum:accept", args=[answer.pk]))
    login(UserFactory()).post(reverse("forum:vote", args=["question", question.pk]), {"value": "up"})

    visitor, reader = Client(), login(UserFactory())
    pages = [
        visitor.get("/"),
        visitor.get(question.category.get_absolute_url()),
        visitor.get(reverse("forum:tag", args=["skin"])),
        visitor.get(reverse("forum:search"), {"q": "rash"}),
        visitor.get(question.get_absolute_url()),
        reader.get(question.get_absolute_url()),
        answerer_client.get(reverse("notifications:centre")),
        answerer_client.get(reverse("forum:notices")),
        login(expert).get(reverse("notifications:centre")),
    ]
    texts = [p.content.decode() for p in pages]
    assert "Embarrassing question" in texts[0]
    others = Notification.objects.exclude(recipient=asker).values_list("text", flat=True)
    others_mail = [m.subject + m.body for m in mail.outbox if asker.email not in m.to]
    everything = "\n".join([*texts, *others, *others_mail, *published])
    assert "Secret Sam" not in everything
    assert "Hidden Town" not in everything
    assert asker.email not in everything
    assert "Visible Village" in texts[4]
    profile = visitor.get(reverse("people:profile", args=[asker.pk])).content.decode()
    assert (
        "Embarrassing question" not in profile
    )  # anonymous questions never on the asker's profile  # a location the member chose to show is shown


def test_member_downloads_all_their_data_as_json_without_other_peoples_private_data(member_client, member):
    other = UserFactory(display_name="Other Olga", email="olga@example.org")
    own_question = QuestionFactory(author=member, title="My own question about migraines", is_anonymous=True)
    AnswerFactory(
        author=member, question=QuestionFactory(author=other), body="My answer about sleep hygiene."
    )
    other_answer = AnswerFactory(question=own_question, author=other)
    Vote.objects.create(voter=member, answer=other_answer, value=1)
    Flag.objects.create(flagger=member, answer=AnswerFactory(), reason="spam", text="looks like an ad")
    Flag.objects.create(flagger=other, question=own_question, reason="other", text="Olga's private note")
    Notification.objects.create(recipient=member, kind="answered", text="Your question has a new answer.")

    response = member_client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert data["questions"][0]["title"] == "My own question about migraines"
    assert data["questions"][0]["anonymous"] is True
    assert data["answers"][0]["body"] == "My answer about sleep hygiene."
    assert data["votes"] == [
        {"on": "answer", "id": other_answer.pk, "value": 1, "created_at": data["votes"][0]["created_at"]}
    ]
    assert data["flags"][0]["text"] == "looks like an ad"
    assert data["notifications"][0]["text"] == "Your question has a new answer."
    raw = response.content.decode()
    assert "olga@example.org" not in raw
    assert "Olga's private note" not in raw
    assert "Other Olga" not in raw


def test_export_needs_login(client):
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_deleting_an_account_erases_personal_data_and_keeps_the_discussion(
    member, client, settings, tmp_path, django_capture_on_commit_callbacks
):

    settings.MEDIA_ROOT = tmp_path
    member.display_name, member.location, member.bio = "Wendy Withdrawn", "Springfield", "Nurse, 3 kids."
    member.avatar.save("a.jpg", ContentFile(b"jpeg"), save=False)
    member.save()
    avatar_path = member.avatar.path
    question = QuestionFactory(author=member, title="Question that must survive deletion")
    answer = AnswerFactory(author=member, body="An answer that must survive as well.")
    Notification.objects.create(recipient=member, kind="answered", text="private note")
    client.force_login(member)
    other_session = login(member)

    page = client.get(reverse("accounts:delete_account"))
    assert page.status_code == 200
    wrong = client.post(reverse("accounts:delete_account"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    assert not User.objects.get(pk=member.pk).is_deleted

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:delete_account"), {"password": "correct horse battery", "confirm": "on"}
        )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_deleted and not member.is_active
    assert member.email == "" and member.display_name == "" and member.location == "" and member.bio == ""
    assert not member.avatar
    assert not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    assert not (tmp_path / avatar_path).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(member.pk)]
    assert other_session.get(reverse("accounts:profile_edit")).status_code == 302  # logged out everywhere

    visitor = Client()
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "Question that must survive deletion" in page
    assert "Deleted member" in page
    assert "Wendy Withdrawn" not in page
    assert (
        "An answer that must survive as well."
        in visitor.get(answer.question.get_absolute_url()).content.decode()
    )
    assert Question.objects.get(pk=question.pk).status == Status.APPROVED
    assert AuditEntry.objects.filter(action="delete_account").exists()


def test_deleting_needs_the_confirmation_box(member_client, member):
    response = member_client.post(reverse("accounts:delete_account"), {"password": "correct horse battery"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert not member.is_deleted


def test_privacy_page_says_what_is_stored_and_why(client):
    page = client.get(reverse("forum:privacy")).content.decode()
    for words in ["Email address", "Location", "hidden by default", "Download all your data", "Delete your account",
                  "Deleted member", "terms you accepted", "Logs"]:  # fmt: skip
        assert words in page


def test_no_health_content_or_email_in_logs_during_a_full_flow(caplog, moderator_client):
    caplog.set_level(logging.DEBUG)
    asker = UserFactory(email="asker.private@example.org")
    answerer = UserFactory(email="answerer.private@example.org")
    body = "My psoriasis flares whenever I take lithium for my bipolar disorder."
    asker_client = login(asker)
    asker_client.post(
        reverse("forum:ask"),
        {
            "title": "Lithium and psoriasis flares together",
            "body": body,
            "category": category("conditions").pk,
            "tags": "psoriasis",
            "accept_terms": "on",
        },
    )
    question = Question.objects.get()
    asker_client.get(reverse("forum:question_short", args=[question.pk]))  # the redirect carries the slug
    Client().get(question.get_absolute_url())  # a 404 for a visitor: Django logs its path
    moderator_client.post(
        reverse("forum:moderation_decide", args=["question", question.pk]), {"decision": "approve"}
    )
    login(answerer).post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Ask your psychiatrist about it; lithium can worsen psoriasis.", "accept_terms": "on"},
    )
    Client().get(reverse("forum:search"), {"q": "lithium psoriasis"})
    Client().get("/q/999999/lithium-and-psoriasis/")  # not found: path logged, slug redacted
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records  # the flow did log something (e.g. the 404s)
    for secret in [
        "psoriasis",
        "lithium",
        "bipolar",
        "asker.private@example.org",
        "answerer.private@example.org",
    ]:
        assert secret not in logged.lower()


def test_moderators_see_the_terms_version_each_post_was_submitted_under(
    member_client, moderator_client, settings
):
    settings.TERMS_VERSION = "2031-04"
    member_client.post(
        reverse("forum:ask"),
        {
            "title": "Is it normal to feel tired all afternoon?",
            "body": "Every day around 3pm I can barely keep my eyes open, even after a good night.",
            "category": category("living-well").pk,
            "accept_terms": "on",
        },
    )
    question = Question.objects.get()
    assert question.terms_version == "2031-04"
    assert "terms 2031-04" in moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert (
        "terms 2031-04"
        in moderator_client.get(
            reverse("forum:moderate_item", args=["question", question.pk])
        ).content.decode()
    )

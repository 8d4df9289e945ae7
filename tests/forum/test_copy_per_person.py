"""Copy that tells each person what applies to them: the answer and ask forms describe the review rule the
services apply to that author (forum.posting.services.skips_review)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from community.notifications.models import Notification
from forum.models import Answer, Status
from tests.factories import QuestionFactory, UserFactory, make_expert

pytestmark = pytest.mark.django_db


def review_note(html: str) -> str:
    return re.search(r'<p class="form-note"(?: data-review-note="[^"]*")?>(.*?)</p>', html, re.S).group(1)


def test_an_experts_answer_form_says_it_publishes_at_once_and_it_does(client):
    expert = make_expert(display_name="Dr. Marsh")
    question = QuestionFactory()
    client.force_login(expert)
    note = review_note(client.get(question.get_absolute_url()).content.decode())
    assert "published at once" in note
    assert "moderator" not in note

    response = client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Keep a sleep diary for two weeks, then see your doctor with it.", "accept_terms": "on"},
        follow=True,
    )
    assert Answer.objects.get(author=expert).status == Status.APPROVED
    assert "published at once" in review_note(response.content.decode())


def test_a_new_members_answer_form_says_a_moderator_reads_it_first_and_one_does(client):
    member = UserFactory()
    question = QuestionFactory()
    client.force_login(member)
    note = review_note(client.get(question.get_absolute_url()).content.decode())
    assert "moderator reads your answer before it appears" in note

    client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "A warm bath an hour before bed helped me.", "accept_terms": "on"},
    )
    assert Answer.objects.get(author=member).status == Status.PENDING


def test_a_trusted_members_forms_say_they_publish_at_once_when_trusted_members_skip_review(client, settings):
    settings.FORUM_TRUSTED_SKIP_REVIEW = True
    trusted = UserFactory(reputation=600)
    question = QuestionFactory()
    client.force_login(trusted)
    assert "As a trusted member, your answer is published at once" in review_note(
        client.get(question.get_absolute_url()).content.decode()
    )
    assert "As a trusted member, your question is published at once" in review_note(
        client.get(reverse("forum:ask")).content.decode()
    )


def test_an_experts_answer_is_announced_with_the_name_they_chose(client, django_capture_on_commit_callbacks):

    asker = UserFactory(display_name="Ellen")
    question = QuestionFactory(author=asker, title="What should I ask after a diabetes diagnosis?")
    expert = make_expert(display_name="Dr. Marsh")
    client.force_login(expert)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forum:answer_create", args=[question.pk]),
            {"body": "Ask about your HbA1c target and an education course.", "accept_terms": "on"},
        )
    notification = Notification.objects.get(recipient=asker)
    assert notification.text.startswith("Dr. Marsh (")
    assert "answered your question" in notification.text

    client.force_login(asker)
    assert "Dr. Marsh (" in client.get(reverse("notifications:centre")).content.decode()
    (email,) = mail.outbox
    assert "Dr. Marsh (verified expert) answered your question" in email.subject
    assert "Dr. Marsh, a verified expert, answered your question" in email.body

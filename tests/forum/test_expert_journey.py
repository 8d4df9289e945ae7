"""Issue 3, "Done when", tried as people would over HTTP: a member applies as an expert with a document,
a moderator downloads it and verifies them, the expert answers and the answer appears at once with the badge
and credentials, members vote it up, the asker accepts it, a moderator features it, and it shows in "Expert
answers" on the home page. A member who is not a moderator gets 404 on the document URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import ExpertApplication, ExpertDocument, User
from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.models import Answer, Question
from tests.factories import QuestionFactory, UserFactory, add_totp, category

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% licence scan\n1 0 obj << >> endobj\n%%EOF\n"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_expert_journey_from_application_to_the_home_page(moderator):
    ada = UserFactory(display_name="Ada Okafor")
    asker = UserFactory(display_name="Cindy")
    voters = [UserFactory() for _ in range(3)]
    nosy = UserFactory()
    question = QuestionFactory(
        author=asker,
        title="How do I tell if my worrying has become an anxiety disorder?",
        category=category("mental-health"),
        for_experts=category("mental-health"),
    )
    ada_client, moderator_client, visitor = logged_in(ada), logged_in(moderator), Client()

    # 1. Ada applies with a document.
    response = ada_client.post(
        reverse("accounts:expert_apply"),
        {
            "profession": "Psychiatrist",
            "specialties": [category("mental-health").pk],
            "credentials": "Psychiatrist, Lakeview University Medical School",
            "institution": "Lakeview University Hospital",
            "licence_number": "MD-552211",
            "licence_issuer": "State Medical Board",
            "conflict_of_interest": "Advisor to a mental health app",
            "documents": [SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    application = ExpertApplication.objects.get(applicant=ada)
    document = ExpertDocument.objects.get(application=application)
    document_url = reverse("accounts:expert_document", args=[document.pk])

    # A member who is not a moderator cannot get the document; neither can a visitor.
    assert logged_in(nosy).get(document_url).status_code == 404
    assert visitor.get(document_url).status_code == 302

    # 2. A moderator finds it in the queue, downloads the document and verifies Ada.
    queue = moderator_client.get(reverse("accounts:expert_queue")).content.decode()
    assert "Ada Okafor" in queue
    review = moderator_client.get(reverse("accounts:expert_review", args=[application.pk])).content.decode()
    assert document_url in review
    download = moderator_client.get(document_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    response = moderator_client.post(
        reverse("accounts:expert_decide", args=[application.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=ada, kind="expert", text__contains="verified").exists()

    # 3. Ada sees the question in "awaiting an expert", answers, and the answer is public at once.
    # Experts' pages need two-factor authentication first (accounts.mfa); Ada sets it up.
    ada_client = logged_in(User.objects.get(pk=ada.pk))
    assert "/2fa/" in ada_client.get(reverse("forum:awaiting_expert"))["Location"]
    add_totp(ada)
    assert question.title in ada_client.get(reverse("forum:awaiting_expert")).content.decode()
    response = ada_client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {
            "body": "Worry becomes a problem when it is hard to switch off and lasts most days for months.",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(question=question)
    page = visitor.get(question.get_absolute_url()).content.decode()
    article = page.split(f'id="answer-{answer.pk}"')[1].split("</article>")[0]
    assert "Worry becomes a problem" in article
    assert '<span class="expert-badge">Mental Health Expert</span>' in article
    assert "Psychiatrist, Lakeview University Medical School" in article
    assert "Advisor to a mental health app" in article
    assert question.title not in ada_client.get(reverse("forum:awaiting_expert")).content.decode()

    # 4. Members vote it up (with htmx, as the page does).
    for voter in voters:
        response = logged_in(voter).post(
            reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.score == 3

    # 5. The asker accepts it.
    response = logged_in(asker).post(reverse("forum:accept", args=[answer.pk]))
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).accepted_answer_id == answer.pk

    # 6. A moderator features it, and it shows in "Expert answers" on the home page.
    response = moderator_client.post(reverse("forum:feature", args=[answer.pk]))
    assert response.status_code == 302
    home = visitor.get("/").content.decode()
    section = home.split('id="featured-h"')[1].split("</section>")[0]
    assert "Expert answers" in home
    assert question.title in section and "Ada Okafor" in section and "Mental Health Expert" in section
    page = visitor.get(question.get_absolute_url()).content.decode()
    assert "✓ Accepted by the asker" in page and "★ Featured expert answer" in page

    # Reputation followed along: 3 up votes (+30), accepted (+15), featured (+25).
    assert User.objects.get(pk=ada.pk).reputation == 70
    assert "Featured" in visitor.get(ada.get_absolute_url()).content.decode()
    # And every step is in the audit log.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"expert_apply", "expert_document", "expert_approve", "accept", "feature"} <= actions

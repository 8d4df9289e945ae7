"""Expert verification at the HTTP level: apply with documents, moderators review (approve, ask for more,
reject, revoke), documents only for moderators, expiry; and the expert's presence on pages."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import verification
from accounts.models import ExpertApplication, ExpertCredential, ExpertDocument
from community import page_cache
from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.models import Question, Status
from forum.posting.services import answer as post_answer
from tests.factories import AnswerFactory, QuestionFactory, category, make_expert

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name="licence.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="certificate.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def application_data(**overrides):
    data = {
        "profession": "Psychiatrist",
        "specialties": [category("mental-health").pk],
        "credentials": "Psychiatrist, Lakeview University Medical School",
        "institution": "Lakeview University Hospital",
        "licence_number": "MD-123456",
        "licence_issuer": "State Medical Board",
        "none_declared": "on",
    }
    if overrides.get("conflict_of_interest"):
        data.pop("none_declared")  # a statement of their own instead of "None declared"
    data.update(overrides)
    return data


def apply(client, documents=(), **overrides):
    data = application_data(**overrides)
    if documents:
        data["documents"] = list(documents)
    return client.post(reverse("accounts:expert_apply"), data)


def decide(client, application, decision, message=""):
    return client.post(
        reverse("accounts:expert_decide", args=[application.pk]), {"decision": decision, "message": message}
    )


# --- Applying ------------------------------------------------------------------------------------------------


def test_member_applies_with_documents_and_sees_the_application_pending(member_client, member):
    response = apply(member_client, [pdf(), png()])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:expert_application")
    application = ExpertApplication.objects.get()
    assert application.status == "pending"
    assert list(application.specialties.values_list("slug", flat=True)) == ["mental-health"]
    documents = {d.original_name: d for d in application.documents.all()}
    assert set(documents) == {"licence.pdf", "certificate.png"}
    assert documents["licence.pdf"].content_type == "application/pdf"
    assert documents["certificate.png"].content_type == "image/png"
    # Stored under a random name, in private storage, never under MEDIA_ROOT.
    stored = documents["licence.pdf"].file
    assert "licence" not in stored.name

    assert str(settings.PRIVATE_MEDIA_ROOT) in stored.path
    assert not stored.path.startswith(str(settings.MEDIA_ROOT))
    page = member_client.get(response["Location"]).content.decode()
    assert "Awaiting review" in page
    assert "licence.pdf" in page
    assert AuditEntry.objects.filter(action="expert_apply", actor=member).exists()
    assert Notification.objects.filter(recipient=member, kind="expert").exists()


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_stored(member_client):
    fake = SimpleUploadedFile("licence.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = apply(member_client, [fake])
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG file we can read" in page
    assert "Psychiatrist, Lakeview University Medical School" in page  # what was typed is kept
    assert "choose your documents again" in page
    assert not ExpertApplication.objects.exists()
    assert not ExpertDocument.objects.exists()


def test_a_gif_is_refused_even_though_it_is_an_image(member_client):
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5)).save(buffer, format="GIF")
    response = apply(member_client, [SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")])
    assert response.status_code == 400
    assert not ExpertApplication.objects.exists()


def test_a_document_over_the_size_limit_is_refused(member_client, settings):
    settings.EXPERT_DOCUMENT_MAX_BYTES = 1024
    response = apply(member_client, [pdf(content=PDF_BYTES + b"0" * 2000)])
    assert response.status_code == 400
    assert "is larger than 1.0" in response.content.decode()
    assert not ExpertApplication.objects.exists()


def test_application_needs_the_licence_and_a_specialty(member_client):
    response = apply(member_client, licence_number="", specialties=[])
    assert response.status_code == 400
    assert not ExpertApplication.objects.exists()


def test_a_second_open_application_is_not_possible(member_client):
    apply(member_client)
    response = member_client.get(reverse("accounts:expert_apply"))
    assert response.status_code == 302
    assert ExpertApplication.objects.count() == 1


def test_visitor_must_log_in_to_apply(client):
    response = client.get(reverse("accounts:expert_apply"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Reviewing -----------------------------------------------------------------------------------------------


def test_moderator_approves_and_the_member_becomes_an_active_expert(
    member_client, member, moderator_client, moderator, settings
):
    apply(member_client, [pdf()], conflict_of_interest="Paid speaker for Acme Pharma")
    application = ExpertApplication.objects.get()
    queue = moderator_client.get(reverse("accounts:expert_queue")).content.decode()
    assert member.display_name in queue
    assert moderator_client.get(reverse("accounts:expert_review", args=[application.pk])).status_code == 200

    response = decide(moderator_client, application, "approve")
    assert response.status_code == 302
    credential = ExpertCredential.objects.get(user=member)
    assert credential.is_active
    assert credential.badge_label == "Mental Health Expert"
    assert credential.verified_by == moderator
    expected = timezone.now() + timedelta(days=settings.EXPERT_VERIFICATION_DAYS)
    assert abs((credential.verified_until - expected).total_seconds()) < 60
    assert credential.conflict_of_interest == "Paid speaker for Acme Pharma"
    application.refresh_from_db()
    assert (application.status, application.decided_by) == ("approved", moderator)
    assert AuditEntry.objects.filter(action="expert_approve", actor=moderator, subject=member).exists()
    assert Notification.objects.filter(recipient=member, kind="expert", text__contains="verified").exists()


def test_more_information_round_trip(member_client, member, moderator_client, moderator):
    apply(member_client)
    application = ExpertApplication.objects.get()
    decide(moderator_client, application, "more_info", "Please upload your board certificate.")
    application.refresh_from_db()
    assert application.status == "more_info"
    page = member_client.get(reverse("accounts:expert_application")).content.decode()
    assert "Please upload your board certificate." in page
    assert "Send my reply" in page
    assert Notification.objects.filter(recipient=member, text__contains="more information").exists()

    response = member_client.post(
        reverse("accounts:expert_application"),
        {"reply": "Attached, thank you.", "documents": [pdf("board.pdf")]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "pending"
    assert application.applicant_reply == "Attached, thank you."
    assert application.documents.get().original_name == "board.pdf"
    review = moderator_client.get(reverse("accounts:expert_review", args=[application.pk])).content.decode()
    assert "Attached, thank you." in review
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["expert_apply", "expert_more_info", "expert_reply"]


def test_rejection_needs_a_reason_and_the_applicant_sees_it(member_client, member, moderator_client):
    apply(member_client)
    application = ExpertApplication.objects.get()
    response = decide(moderator_client, application, "reject", "")
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == "pending"
    decide(moderator_client, application, "reject", "We could not confirm the licence number.")
    application.refresh_from_db()
    assert application.status == "rejected"
    assert not ExpertCredential.objects.exists()
    page = member_client.get(reverse("accounts:expert_application")).content.decode()
    assert "We could not confirm the licence number." in page
    assert AuditEntry.objects.get(action="expert_reject").reason == "We could not confirm the licence number."


def test_second_decision_says_who_was_first(member_client, moderator_client, moderator):
    apply(member_client)
    application = ExpertApplication.objects.get()
    decide(moderator_client, application, "approve")
    response = decide(moderator_client, application, "reject", "late")
    assert response.status_code == 302
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Already approved by Morgan" in page
    application.refresh_from_db()
    assert application.status == "approved"


def test_revoking_removes_the_badge_at_once(member_client, member, moderator_client, client):
    apply(member_client)
    application = ExpertApplication.objects.get()
    decide(moderator_client, application, "approve")
    answer = AnswerFactory(author=member)
    assert "expert-badge" in client.get(answer.question.get_absolute_url()).content.decode()

    url = reverse("accounts:expert_revoke", args=[application.pk])
    assert moderator_client.post(url, {"reason": ""}).status_code == 400
    moderator_client.post(url, {"reason": "Licence suspended by the board."})
    credential = ExpertCredential.objects.get(user=member)
    assert credential.revoked_at is not None
    assert not credential.is_active
    assert "expert-badge" not in client.get(answer.question.get_absolute_url()).content.decode()
    assert AuditEntry.objects.get(action="expert_revoke").reason == "Licence suspended by the board."
    assert Notification.objects.filter(recipient=member, text__contains="withdrawn").exists()


def test_renewal_extends_and_clears_the_expiry_notice(member, moderator, moderator_client, member_client):

    expert = make_expert(days_left=10)
    credential = expert.expert_credential
    verification.send_expiry_notice(credential=credential)
    client = member_client
    client.force_login(expert)
    apply(client, specialties=[category("mental-health").pk, category("living-well").pk])
    decide(moderator_client, ExpertApplication.objects.get(), "approve")
    credential.refresh_from_db()
    assert credential.verified_until > timezone.now() + timedelta(days=700)
    assert credential.expiry_notice_sent_at is None
    assert set(credential.specialties.values_list("slug", flat=True)) == {"mental-health", "living-well"}


def test_a_moderator_cannot_decide_their_own_application(moderator_client, moderator):
    apply(moderator_client)
    application = ExpertApplication.objects.get()
    response = decide(moderator_client, application, "approve")
    assert response.status_code == 403
    assert not ExpertCredential.objects.exists()


@pytest.mark.parametrize("url_name", ["accounts:expert_queue", "accounts:expert_review"])
def test_members_cannot_reach_the_review_pages(member_client, member, client, url_name):
    apply(member_client)
    application = ExpertApplication.objects.get()
    args = [application.pk] if url_name.endswith("review") else []
    assert member_client.get(reverse(url_name, args=args)).status_code == 403
    assert client.get(reverse(url_name, args=args)).status_code == 302  # visitor: log in first


def test_members_cannot_decide_or_revoke(member_client, other_member, client):
    apply(member_client)
    application = ExpertApplication.objects.get()
    client.force_login(other_member)
    assert decide(client, application, "approve").status_code == 403
    assert decide(member_client, application, "approve").status_code == 403  # not even their own
    response = client.post(reverse("accounts:expert_revoke", args=[application.pk]), {"reason": "x"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"
    assert not ExpertCredential.objects.exists()


# --- Documents -----------------------------------------------------------------------------------------------


def test_moderator_downloads_a_document_as_an_attachment(member_client, moderator_client, moderator):
    apply(member_client, [pdf("my licence.pdf")])
    document = ExpertDocument.objects.get()
    response = moderator_client.get(reverse("accounts:expert_document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "my licence.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="expert_document", actor=moderator).exists()


def test_nobody_but_moderators_gets_a_document(member_client, member, client, other_member):
    apply(member_client, [pdf()])
    document = ExpertDocument.objects.get()
    url = reverse("accounts:expert_document", args=[document.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert member_client.get(url).status_code == 404  # not even the applicant: only moderators
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not AuditEntry.objects.filter(action="expert_document").exists()


def test_documents_have_no_public_url(member_client):
    apply(member_client, [pdf()])
    document = ExpertDocument.objects.get()
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


# --- Expiry --------------------------------------------------------------------------------------------------


def test_an_expired_expert_loses_the_badge_and_the_priority(client):
    expired = make_expert(days_left=30)
    question = QuestionFactory()
    expert_answer = AnswerFactory(question=question, author=expired)
    community = AnswerFactory(question=question, score=3)
    page = client.get(question.get_absolute_url())
    assert [a.pk for a in page.context["answers"]] == [expert_answer.pk, community.pk]
    assert "Mental Health Expert" in page.content.decode()

    ExpertCredential.objects.filter(user=expired).update(verified_until=timezone.now() - timedelta(minutes=1))
    cache.delete(page_cache.HORIZON_KEY)  # as at the real expiry time: visitors' cached pages end with it
    page = client.get(question.get_absolute_url())
    assert [a.pk for a in page.context["answers"]] == [community.pk, expert_answer.pk]
    assert "Mental Health Expert" not in page.content.decode()
    assert "Mental Health Expert" not in client.get(expired.get_absolute_url()).content.decode()


def test_expired_expert_answers_go_to_review_again(client):
    expired = make_expert(days_left=1)
    ExpertCredential.objects.filter(user=expired).update(verified_until=timezone.now() - timedelta(days=1))
    expired.refresh_from_db()
    item = post_answer(
        author=expired, question=QuestionFactory(), body="Please see your doctor.", accepted_terms=True
    )
    assert item.status == Status.PENDING


def test_expiry_notice_command_notifies_once(capsys):
    soon = make_expert(days_left=20)
    later = make_expert(days_left=200)
    call_command("notify_expiring_experts")
    call_command("notify_expiring_experts")
    notices = Notification.objects.filter(kind="expert", text__contains="ends on")
    assert list(notices.values_list("recipient", flat=True)) == [soon.pk]
    assert not Notification.objects.filter(recipient=later).exists()
    assert AuditEntry.objects.filter(action="expert_expiry_notice").count() == 1
    assert "Expiry notices sent: 0" in capsys.readouterr().out


def test_expert_viewing_their_own_profile_gets_the_expiry_notice_without_the_command(client):
    soon = make_expert(days_left=12)
    client.force_login(soon)
    page = client.get(soon.get_absolute_url()).content.decode()
    assert "Your expert verification ends on" in page
    client.get(soon.get_absolute_url())
    client.get(reverse("accounts:expert_application"))
    assert Notification.objects.filter(recipient=soon, text__contains="ends on").count() == 1
    assert ExpertCredential.objects.get(user=soon).expiry_notice_sent_at is not None


def test_someone_else_viewing_the_profile_sends_no_notice(client, member):
    soon = make_expert(days_left=12)
    client.force_login(member)
    client.get(soon.get_absolute_url())
    assert not Notification.objects.filter(recipient=soon).exists()


# --- Presence ------------------------------------------------------------------------------------------------


def test_expert_answer_shows_badge_photo_credentials_conflict_and_profile_link(client):
    expert = make_expert(display_name="Dr. Ada Okafor")
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Consults for Calm App")
    expert.avatar_small = "avatars/ada-64.jpg"
    expert.save()
    answer = AnswerFactory(author=expert)
    page = client.get(answer.question.get_absolute_url()).content.decode()
    article = page.split(f'id="answer-{answer.pk}"')[1].split("</article>")[0]
    assert "answer-expert" in page.split(f'id="answer-{answer.pk}"')[0].rsplit("<article", 1)[1]
    assert '<span class="expert-badge">Mental Health Expert</span>' in article
    assert 'src="/media/avatars/ada-64.jpg"' in article
    assert "Psychiatrist, Lakeview University Medical School" in article
    assert "Consults for Calm App" in article
    assert f'href="{expert.get_absolute_url()}"' in article


def test_expert_answer_appears_at_once_and_before_community_replies(client):
    expert = make_expert()
    question = QuestionFactory()
    community = AnswerFactory(question=question, score=5)
    client.force_login(expert)
    response = client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Sleep restriction therapy is well studied for this.", "accept_terms": "on"},
    )
    assert response.status_code == 302
    page = client.get(question.get_absolute_url())
    answers = page.context["answers"]
    assert answers[0].author == expert and answers[0].status == Status.APPROVED
    assert answers[1] == community
    question.refresh_from_db()
    assert (question.answer_count, question.expert_answer_count) == (2, 1)


def test_directory_lists_experts_by_specialty_with_answer_counts(client):
    psychiatrist = make_expert("mental-health", display_name="Dr. Ada Okafor")
    dietitian = make_expert("diet-fitness", display_name="Lena Brooks, RD")
    AnswerFactory(author=psychiatrist)
    AnswerFactory(author=psychiatrist)
    AnswerFactory(author=psychiatrist, status=Status.PENDING)  # not counted
    expired = make_expert("mental-health", display_name="Dr. Expired", days_left=1)
    ExpertCredential.objects.filter(user=expired).update(verified_until=timezone.now() - timedelta(days=1))
    page = client.get(reverse("people:experts"))
    html = page.content.decode()
    groups = {g.category.slug: g.experts for g in page.context["specialties"]}
    assert [c.user for c in groups["mental-health"]] == [psychiatrist]
    assert [c.user for c in groups["diet-fitness"]] == [dietitian]
    assert groups["mental-health"][0].answer_count == 2
    assert "Dr. Expired" not in html
    assert "Mental Health Experts" in html and "2 answers" in html


def test_expert_profile_shows_bio_credentials_featured_and_recent_answers(client):
    expert = make_expert(display_name="Dr. Ada Okafor")
    expert.bio = "Twenty years in community psychiatry."
    expert.save()
    featured = AnswerFactory(author=expert, is_featured=True, featured_at=timezone.now())
    recent = AnswerFactory(author=expert)
    page = client.get(expert.get_absolute_url())
    html = page.content.decode()
    assert "Twenty years in community psychiatry." in html
    assert "Psychiatrist, Lakeview University Medical School" in html
    assert [a.pk for a in page.context["featured_answers"]] == [featured.pk]
    assert {a.pk for a in page.context["answers"]} == {featured.pk, recent.pk}
    assert "Featured answers" in html and "Recent answers" in html


def test_awaiting_an_expert_lists_unanswered_questions_of_the_experts_specialties(client, member):
    expert = make_expert("mental-health")
    waiting = QuestionFactory(for_experts=category("mental-health"), title="Is my worry an anxiety disorder?")
    other_specialty = QuestionFactory(
        category=category("conditions"), for_experts=category("conditions"), title="Blood pressure headaches?"
    )
    answered = QuestionFactory(for_experts=category("mental-health"), title="Already answered by an expert")
    post_answer(
        author=make_expert("mental-health"), question=answered, body="An expert reply.", accepted_terms=True
    )
    pending = QuestionFactory(
        for_experts=category("mental-health"), status=Status.PENDING, title="Pending question for experts"
    )
    client.force_login(expert)
    home = client.get("/").content.decode()
    assert reverse("forum:awaiting_expert") in home  # linked from the header for experts
    page = client.get(reverse("forum:awaiting_expert")).content.decode()
    assert waiting.title in page
    assert other_specialty.title not in page
    assert answered.title not in page
    assert pending.title not in page
    client.force_login(member)
    assert reverse("forum:awaiting_expert") not in client.get("/").content.decode()
    assert client.get(reverse("forum:awaiting_expert")).status_code == 403


def test_member_can_address_a_question_to_a_specialty(member_client):
    make_expert("mental-health")  # only specialties with a verified expert can be chosen (forum.inbox)
    member_client.post(
        reverse("forum:ask"),
        {
            "title": "How do I know if therapy is working?",
            "body": "I have had six sessions and I am not sure anything has changed.",
            "category": category("mental-health").pk,
            "for_experts": category("mental-health").pk,
            "accept_terms": "on",
        },
    )
    assert Question.objects.get().for_experts == category("mental-health")


def test_directory_query_count_does_not_grow_with_experts(client, django_assert_max_num_queries):
    def count_queries():

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("people:experts")).status_code == 200
        return len(ctx.captured_queries)

    for slug in ["mental-health", "conditions"]:
        AnswerFactory(author=make_expert(slug))
    count_queries()  # warm the navigation cache
    few = count_queries()
    for i in range(8):
        expert = make_expert(["mental-health", "diet-fitness", "living-well", "conditions"][i % 4])
        expert.expert_credential.specialties.add(category("living-well"))
        AnswerFactory(author=expert)
    many = count_queries()
    assert many == few
    with django_assert_max_num_queries(5):
        client.get(reverse("people:experts"))

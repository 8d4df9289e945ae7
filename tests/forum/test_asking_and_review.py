"""The foundation flow at the HTTP level: ask, await review, approve or reject, reply."""

import re

import pytest
from django.urls import reverse

from accounts.services import update_profile
from community.audit.models import AuditEntry
from community.notifications.models import Notification
from forum.models import Answer, Question, Status
from forum.publication import refresh_answer_count
from tests.factories import AnswerFactory, QuestionFactory, category

pytestmark = pytest.mark.django_db


def ask_data(**overrides):
    data = {
        "title": "Is it normal to feel tired all afternoon?",
        "body": "Every day around 3pm I can barely keep my eyes open, even after a good night.",
        "category": category("living-well").pk,
        "tags": "energy, sleep",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_member_question_awaits_review_and_only_author_sees_it(member_client, member, client):
    response = member_client.post(reverse("forum:ask"), ask_data())
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:ask_done", args=[question.pk])
    done = member_client.get(response["Location"])
    assert "will appear once a moderator approves it" in done.content.decode()
    assert question.status == Status.PENDING
    assert question.terms_version
    assert set(question.tags.names()) == {"energy", "sleep"}

    own_view = member_client.get(question.get_absolute_url())
    assert own_view.status_code == 200
    assert "Awaiting review" in own_view.content.decode()
    assert "awaiting review" in member_client.get("/").content.decode()

    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.title not in client.get("/").content.decode()


def test_ask_without_terms_keeps_everything_typed(member_client):
    data = ask_data(title="My knee clicks when I climb stairs, should I worry?")
    del data["accept_terms"]
    response = member_client.post(reverse("forum:ask"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please accept the community terms" in page
    assert "My knee clicks when I climb stairs, should I worry?" in page
    assert "Every day around 3pm" in page
    assert "energy, sleep" in page
    assert not Question.objects.exists()


def test_ask_with_too_many_tags_is_refused_with_a_message(member_client):
    response = member_client.post(reverse("forum:ask"), ask_data(tags="a, b, c, d, e, f"))
    assert response.status_code == 400
    assert "at most 5 tags" in response.content.decode()
    assert not Question.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in_before_asking(client):
    response = client.get(reverse("forum:ask"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_moderator_approval_makes_question_public_and_is_audited(member_client, moderator, client):
    member_client.post(reverse("forum:ask"), ask_data())
    question = Question.objects.get()
    client.force_login(moderator)
    queue = client.get(reverse("forum:moderation_queue"))
    assert question.title in queue.content.decode()

    response = client.post(
        reverse("forum:moderation_decide", args=["question", question.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    client.logout()
    assert question.title in client.get("/").content.decode()
    assert client.get(question.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == ("approve", moderator, question.pk)
    assert Notification.objects.filter(recipient=question.author, kind="approved").exists()


def test_rejection_needs_a_reason_and_the_author_sees_it(moderator_client, member, client):
    question = QuestionFactory(author=member, status=Status.PENDING)
    url = reverse("forum:moderation_decide", args=["question", question.pk])
    moderator_client.post(url, {"decision": "reject", "reason": ""})
    question.refresh_from_db()
    assert question.status == Status.PENDING

    moderator_client.post(url, {"decision": "reject", "reason": "Please remove your doctor's full name."})
    question.refresh_from_db()
    assert question.status == Status.REJECTED
    client.force_login(member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Please remove your doctor&#x27;s full name." in page
    assert AuditEntry.objects.get().reason == "Please remove your doctor's full name."


def test_second_decision_on_a_decided_item_says_who_was_first(moderator_client, moderator):
    question = QuestionFactory(status=Status.PENDING)
    url = reverse("forum:moderation_decide", args=["question", question.pk])
    moderator_client.post(url, {"decision": "approve"})
    response = moderator_client.post(url, {"decision": "reject", "reason": "late"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Already approved by Morgan" in response.content.decode()
    question.refresh_from_db()
    assert question.status == Status.APPROVED


def test_reply_goes_through_review_before_the_asker_and_public_see_it(
    client, member, other_member, moderator_client, moderator
):
    question = QuestionFactory(author=member)
    client.force_login(other_member)
    response = client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Magnesium before bed helped me a lot.", "accept_terms": "on"},
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.status == Status.PENDING
    assert "Magnesium before bed" in client.get(question.get_absolute_url()).content.decode()

    client.force_login(member)
    assert "Magnesium before bed" not in client.get(question.get_absolute_url()).content.decode()

    moderator_client.post(
        reverse("forum:moderation_decide", args=["answer", answer.pk]), {"decision": "approve"}
    )
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Magnesium before bed" in page
    question.refresh_from_db()
    assert question.answer_count == 1
    assert Notification.objects.filter(recipient=member, kind="answered").exists()


def test_answer_without_terms_keeps_the_text(member_client):
    question = QuestionFactory()
    response = member_client.post(
        reverse("forum:answer_create", args=[question.pk]), {"body": "Try a warm bath an hour before bed."}
    )
    assert response.status_code == 400
    assert "Try a warm bath an hour before bed." in response.content.decode()
    assert not Answer.objects.exists()


def test_author_edit_of_approved_question_waits_for_review_while_it_stays_public(
    member_client, member, client
):
    question = QuestionFactory(author=member, title="How can I sleep better after shifts?")
    response = member_client.post(
        reverse("forum:question_edit", args=[question.pk]),
        {
            "title": "How can I sleep better after night shifts?",
            "body": "I work nights twice a week and my sleep is a mess afterwards.",
            "category": question.category_id,
            "tags": "sleep",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.APPROVED  # the approved version stays public (tests/forum/test_edits.py)
    assert question.revisions.get(status="pending").title == "How can I sleep better after night shifts?"
    client.logout()
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "How can I sleep better after shifts?" in page.content.decode()


def test_anonymous_question_hides_the_name_from_everyone_but_moderators(client, member, moderator_client):
    question = QuestionFactory(author=member, is_anonymous=True)
    public = client.get(question.get_absolute_url()).content.decode()
    assert "Anonymous member" in public
    assert member.display_name not in public
    assert member.display_name in moderator_client.get(question.get_absolute_url()).content.decode()


def test_location_shows_only_when_the_member_chose_to(client, member):
    member.location = "Texas"
    member.save()
    question = QuestionFactory(author=member)
    assert "Texas" not in client.get(question.get_absolute_url()).content.decode()
    # Through the service, as the profile page does: it also renews pages cached for visitors.
    update_profile(
        user=member, display_name=member.display_name, location="Texas", show_location=True, bio=""
    )
    assert (
        f'{member.display_name}</a>, <span class="location">Texas'
        in client.get(question.get_absolute_url()).content.decode()
    )


def test_every_question_page_says_it_is_not_medical_advice(client):
    question = QuestionFactory()
    assert "This is not medical advice." in client.get(question.get_absolute_url()).content.decode()


def test_more_qa_lists_questions_sharing_tags_before_same_category(client):
    question = QuestionFactory()
    question.tags.set(["insomnia"])
    sharing = QuestionFactory(title="Does melatonin help with insomnia?", category=category("conditions"))
    sharing.tags.set(["insomnia"])
    same_category = QuestionFactory(title="Is a weighted blanket worth it?")
    hidden = QuestionFactory(title="Pending insomnia question", status=Status.PENDING)
    hidden.tags.set(["insomnia"])
    html = client.get(question.get_absolute_url()).content.decode()
    more = html[html.index('id="more-qa-h"') :]
    assert more.index(sharing.title) < more.index(same_category.title)
    assert hidden.title not in html


def test_answers_are_counted_only_when_approved(client):
    question = QuestionFactory()
    AnswerFactory(question=question, status=Status.PENDING)
    AnswerFactory(question=question, status=Status.REJECTED)

    refresh_answer_count(question.pk)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "0 answers" in re.sub(r"<[^>]+>", "", page)  # the count and its word, tags aside


def test_author_fixing_a_rejected_question_resubmits_it_to_the_queue(member_client, member, moderator_client):
    question = QuestionFactory(author=member, status=Status.REJECTED, decision_reason="Remove the name.")
    member_client.post(
        reverse("forum:question_edit", args=[question.pk]),
        {
            "title": "How can I sleep better after night shifts?",
            "body": "I work nights twice a week and my sleep is a mess afterwards.",
            "category": question.category_id,
            "tags": "sleep",
        },
    )
    question.refresh_from_db()
    assert question.status == Status.PENDING
    assert (
        "How can I sleep better after night shifts?"
        in moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    )


def test_anonymous_asker_replying_to_own_question_leaks_no_member_id(client, member):
    question = QuestionFactory(author=member, is_anonymous=True)
    AnswerFactory(question=question, author=member, body="Update: the routine worked for me.")
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Update: the routine worked for me." in page
    assert f'data-author-id="{member.pk}"' not in page
    assert f"/members/{member.pk}/" not in page

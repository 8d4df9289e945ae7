"""The expert's inbox (forum.inbox): what waits for a verified expert, in what order, for whom, and the soft
"I'm answering this" claim; asking one expert personally, and routing only to specialties with an expert."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.inbox import claims
from forum.models import Question, Status
from forum.posting.services import answer as post_answer
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert, make_moderator

pytestmark = pytest.mark.django_db

INBOX = "forum:awaiting_expert"


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def inbox_titles(client) -> list[str]:
    response = client.get(reverse(INBOX))
    assert response.status_code == 200
    return [q.title for q in response.context["page"].items]


def test_every_published_question_of_the_specialty_without_an_expert_answer_is_in_the_inbox(client):
    expert = make_expert("mental-health", display_name="Dr. Ada")
    zero_answers = QuestionFactory(category=category("mental-health"), title="Panic attacks at night?")
    member_answered = QuestionFactory(category=category("mental-health"), title="Is this burnout or sadness?")
    AnswerFactory(question=member_answered, body="I felt the same last year.")
    routed_here = QuestionFactory(
        category=category("living-well"), for_experts=category("mental-health"), title="Sleep and mood?"
    )
    expert_answered = QuestionFactory(
        category=category("mental-health"), title="Already has an expert answer"
    )
    post_answer(
        author=make_expert("mental-health"),
        question=expert_answered,
        body="An expert reply.",
        accepted_terms=True,
    )
    other_specialty = QuestionFactory(category=category("conditions"), title="Blood pressure headaches?")
    client.force_login(expert)
    titles = inbox_titles(client)
    assert set(titles) == {zero_answers.title, member_answered.title, routed_here.title}
    assert expert_answered.title not in titles and other_specialty.title not in titles


@pytest.mark.parametrize("status", [Status.PENDING, Status.HIDDEN, Status.REJECTED, Status.DELETED])
def test_questions_that_are_not_public_never_appear(client, status):
    expert = make_expert("mental-health")
    QuestionFactory(category=category("mental-health"), status=status, title="Not public, in the specialty")
    QuestionFactory(addressed_to_expert=expert, status=status, title="Not public, asked of the expert")
    QuestionFactory(category=category("mental-health"), title="A public question")
    client.force_login(expert)
    page = client.get(reverse(INBOX)).content.decode()
    assert "A public question" in page
    assert "Not public" not in page


def test_questions_asked_of_me_appear_until_i_answer_and_are_marked(client):
    expert = make_expert("mental-health", display_name="Dr. Ada")
    asked = QuestionFactory(
        category=category("conditions"), addressed_to_expert=expert, title="For Dr. Ada only"
    )
    asked_of_other = QuestionFactory(
        category=category("conditions"),
        addressed_to_expert=make_expert("conditions"),
        title="For someone else",
    )
    client.force_login(expert)
    page = client.get(reverse(INBOX)).content.decode()
    assert asked.title in page and "Asked of you" in page
    assert asked_of_other.title not in page
    post_answer(author=expert, question=asked, body="Here is my answer to you.", accepted_terms=True)
    assert asked.title not in inbox_titles(client)


def test_oldest_waiting_first_with_how_long_and_paged(client, settings):
    settings.FORUM_PAGE_SIZE = 2
    expert = make_expert("mental-health")
    for age in [1, 5, 3]:
        QuestionFactory(
            category=category("mental-health"),
            title=f"Waiting {age} days question",
            approved_at=days_ago(age),
        )
    client.force_login(expert)
    response = client.get(reverse(INBOX))
    assert [q.title for q in response.context["page"].items] == [
        "Waiting 5 days question",
        "Waiting 3 days question",
    ]
    html = response.content.decode()
    assert "waiting 5\xa0days" in html and "waiting 3\xa0days" in html
    cursor = response.context["page"].next_cursor
    second = client.get(reverse(INBOX), {"after": cursor})
    assert [q.title for q in second.context["page"].items] == ["Waiting 1 days question"]


def test_inbox_queries_do_not_grow_with_questions(client, django_assert_max_num_queries):
    expert = make_expert("mental-health")
    client.force_login(expert)
    QuestionFactory.create_batch(3, category=category("mental-health"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(INBOX))
    QuestionFactory.create_batch(15, category=category("mental-health"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(INBOX))


def test_only_acting_experts_see_an_inbox(client, member):
    assert client.get(reverse(INBOX)).status_code == 302  # to log in
    client.force_login(member)
    assert client.get(reverse(INBOX)).status_code == 403
    client.force_login(make_moderator())
    assert client.get(reverse(INBOX)).status_code == 403
    expired = make_expert("mental-health", days_left=-1)
    client.force_login(expired)
    assert client.get(reverse(INBOX)).status_code == 403
    question = QuestionFactory()
    client.force_login(member)
    assert client.post(reverse("forum:expert_claim", args=[question.pk])).status_code == 403
    assert claims.current_claim(question.pk) is None


def test_im_answering_this_is_shown_to_other_experts_and_cleared_by_stop(client):
    ada = make_expert("mental-health", display_name="Dr. Ada")
    ben = make_expert("mental-health", display_name="Dr. Ben")
    question = QuestionFactory(category=category("mental-health"), title="How long does grief last?")
    client.force_login(ben)
    client.post(reverse("forum:expert_claim", args=[question.pk]), {"next": reverse(INBOX)})
    assert "You are answering this" in client.get(reverse(INBOX)).content.decode()
    client.force_login(ada)
    assert "Dr. Ben is answering this (since just now)" in client.get(reverse(INBOX)).content.decode()
    assert "Dr. Ben is answering this" in client.get(question.get_absolute_url()).content.decode()
    # Ada cannot stop Ben's claim; Ben can.
    client.post(reverse("forum:expert_claim_release", args=[question.pk]))
    assert claims.current_claim(question.pk).name == "Dr. Ben"
    client.force_login(ben)
    client.post(reverse("forum:expert_claim_release", args=[question.pk]))
    client.force_login(ada)
    assert "is answering this" not in client.get(reverse(INBOX)).content.decode()


def test_the_claim_expires_after_an_hour_and_ends_when_the_answer_is_posted(client, member, monkeypatch):
    assert claims.CLAIM_SECONDS == 60 * 60
    ada = make_expert("mental-health", display_name="Dr. Ada")
    ben = make_expert("mental-health", display_name="Dr. Ben")
    question = QuestionFactory(category=category("mental-health"))
    monkeypatch.setattr(claims, "CLAIM_SECONDS", 1)  # the hour, shortened
    claims.claim(expert=ben, question=question)
    client.force_login(ada)
    assert "Dr. Ben is answering this" in client.get(reverse(INBOX)).content.decode()
    time.sleep(1.2)
    assert "Dr. Ben is answering this" not in client.get(reverse(INBOX)).content.decode()
    monkeypatch.undo()
    claims.claim(expert=ben, question=question)
    post_answer(
        author=ben, question=question, body="Grief has no timetable, but it changes.", accepted_terms=True
    )
    assert claims.current_claim(question.pk) is None
    # Members never see who is answering.
    QuestionFactory(category=category("mental-health"))
    claims.claim(expert=ben, question=Question.objects.exclude(pk=question.pk).get())
    client.force_login(member)
    assert "is answering this" not in client.get(question.get_absolute_url()).content.decode()


def test_the_question_page_offers_im_answering_this_only_to_experts(client, member):
    question = QuestionFactory(category=category("mental-health"))
    client.force_login(member)
    assert "answering this" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(make_expert("mental-health"))
    page = client.get(question.get_absolute_url()).content.decode()
    assert "I'm answering this" in page and 'data-stream="experts"' in page


# --- Asking an expert -------------------------------------------------------------------------------------


def ask_data(**extra):
    return {
        "title": "How do I know if therapy is working?",
        "body": "I have had six sessions and I am not sure anything has changed.",
        "category": category("mental-health").pk,
        "accept_terms": "on",
        **extra,
    }


def test_ask_this_expert_addresses_the_question_to_them_and_it_is_still_reviewed(
    client, member_client, moderator
):
    expert = make_expert("mental-health", display_name="Dr. Ada")
    profile = member_client.get(expert.get_absolute_url()).content.decode()
    link = f"{reverse('forum:ask')}?expert={expert.pk}"
    assert "Ask this expert" in profile and link in profile
    assert link in member_client.get(reverse("people:experts")).content.decode()
    form = member_client.get(link).content.decode()
    assert "You are asking <strong>Dr. Ada</strong>" in form
    member_client.post(link, ask_data(addressed_to_expert=expert.pk))
    question = Question.objects.get()
    assert question.addressed_to_expert == expert
    assert question.status == Status.PENDING
    client.force_login(expert)
    assert (
        question.title not in client.get(reverse(INBOX)).content.decode()
    )  # not before a moderator approves


def test_routing_offers_only_specialties_with_an_active_expert(member_client):
    make_expert("conditions")
    make_expert("mental-health", days_left=-1)  # expired: cannot answer
    form = member_client.get(reverse("forum:ask")).context["form"]
    assert list(form.fields["for_experts"].queryset) == [category("conditions")]
    response = member_client.post(reverse("forum:ask"), ask_data(for_experts=category("mental-health").pk))
    assert response.status_code == 400
    assert Question.objects.count() == 0
    assert "How do I know if therapy is working?" in response.content.decode()  # what they typed is kept


def test_the_ask_form_says_when_no_specialty_has_an_expert(member_client):
    html = member_client.get(reverse("forum:ask")).content.decode()
    assert "No specialty has a verified expert yet" in html


def test_a_question_cannot_be_addressed_to_someone_who_is_not_an_active_expert(member_client):
    not_expert = UserFactory()
    member_client.post(reverse("forum:ask"), ask_data(addressed_to_expert=not_expert.pk))
    assert not Question.objects.filter(addressed_to_expert=not_expert).exists()

"""Accepted and featured answers at the HTTP level: the asker accepts (and can change it), moderators feature
expert answers, and the home page, the question page and "Expert Q&A" show them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Badge, BadgeAward
from community.audit.models import AuditEntry
from community.live import events
from community.notifications.models import Notification
from forum.curation import services as curation
from forum.models import Answer, Question, Status, Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

pytestmark = pytest.mark.django_db


def accept_url(answer):
    return reverse("forum:accept", args=[answer.pk])


def feature_url(answer):
    return reverse("forum:feature", args=[answer.pk])


# --- Accepting ----------------------------------------------------------------------------------------------


def test_asker_accepts_an_answer_and_it_comes_first_with_a_mark(client, member):
    question = QuestionFactory(author=member)
    popular = AnswerFactory(question=question, score=7)
    helpful = AnswerFactory(question=question)
    client.force_login(member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Accept: this answer helped" in page
    response = client.post(accept_url(helpful))
    assert response.status_code == 302
    assert response["Location"] == helpful.get_absolute_url()
    question.refresh_from_db()
    assert question.accepted_answer == helpful
    page = client.get(question.get_absolute_url())
    assert [a.pk for a in page.context["answers"]] == [helpful.pk, popular.pk]
    html = page.content.decode()
    assert "✓ Accepted by the asker" in html.split(f'id="answer-{popular.pk}"')[0]
    assert Notification.objects.filter(recipient=helpful.author, kind="accepted").exists()
    assert AuditEntry.objects.filter(action="accept", actor=member, target_id=helpful.pk).exists()


def test_asker_can_change_and_withdraw_the_accepted_answer(client, member):
    question = QuestionFactory(author=member)
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    client.force_login(member)
    client.post(accept_url(first))
    client.post(accept_url(second))
    question.refresh_from_db()
    assert question.accepted_answer == second
    client.post(accept_url(second), {"undo": "1"})
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_accept_with_htmx_returns_the_reordered_answer_list(client, member):
    question = QuestionFactory(author=member)
    AnswerFactory(question=question, score=4)
    chosen = AnswerFactory(question=question)
    client.force_login(member)
    response = client.post(accept_url(chosen), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<article class="answer answer-accepted"')
    assert f'id="answer-{chosen.pk}"' in html.split("</article>")[0]
    assert "Unmark as accepted" in html


def test_nobody_but_the_asker_can_accept(client, member, other_member, moderator):
    question = QuestionFactory(author=member)
    answer = AnswerFactory(question=question)
    for person in [other_member, moderator, answer.author]:
        client.force_login(person)
        response = client.post(accept_url(answer))
        assert response.status_code == 403
        assert "Only the person who asked can accept an answer." in response.content.decode()
        assert "Accept: this answer helped" not in client.get(question.get_absolute_url()).content.decode()
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_nobody_but_the_asker_can_withdraw_the_acceptance(client, member, other_member):
    question = QuestionFactory(author=member)
    answer = AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    client.force_login(other_member)
    assert client.post(accept_url(answer), {"undo": "1"}).status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_asker_cannot_accept_their_own_answer(client, member):
    question = QuestionFactory(author=member)
    own = AnswerFactory(question=question, author=member)
    client.force_login(member)
    assert client.post(accept_url(own)).status_code == 403


def test_pending_answers_cannot_be_accepted(client, member):
    question = QuestionFactory(author=member)
    pending = AnswerFactory(question=question, status=Status.PENDING)
    client.force_login(member)
    assert client.post(accept_url(pending)).status_code == 404


def test_visitor_must_log_in_to_accept(client):
    answer = AnswerFactory()
    response = client.post(accept_url(answer))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Featuring ----------------------------------------------------------------------------------------------


def test_moderator_features_an_expert_answer_and_it_shows_everywhere(moderator_client, moderator, client):
    expert = make_expert(display_name="Dr. Ada Okafor")
    question = QuestionFactory(title="How do I tell worry from an anxiety disorder?")
    answer = AnswerFactory(question=question, author=expert, body="Worry that will not switch off matters.")
    page = moderator_client.get(question.get_absolute_url()).content.decode()
    assert "Feature on the home page" in page
    response = moderator_client.post(feature_url(answer))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.is_featured and answer.featured_by == moderator and answer.featured_at

    home = client.get("/").content.decode()
    section = home.split('id="featured-h"')[1].split("</section>")[0]
    assert "Expert answers" in home
    assert question.title in section and "Dr. Ada Okafor" in section and "Mental Health Expert" in section
    question_page = client.get(question.get_absolute_url()).content.decode()
    assert "★ Featured expert answer" in question_page
    assert f'href="#answer-{answer.pk}">★ A verified expert' in question_page
    qa = client.get(reverse("forum:expert_qa")).content.decode()
    assert "Mental Health" in qa and question.title in qa
    assert AuditEntry.objects.filter(action="feature", actor=moderator, subject=expert).exists()
    assert Notification.objects.filter(recipient=expert, kind="featured").exists()


def featured_on_home(client) -> list[int]:
    """The answers in the home page's "Expert answers" section, in order."""
    html = client.get("/").content.decode()
    section = re.search(r"<section[^>]*data-featured-answers.*?</section>", html, re.S)
    return [int(pk) for pk in re.findall(r'href="[^"]*#answer-(\d+)"', section.group(0))] if section else []


def test_home_lists_featured_answers_newest_first(client, moderator):

    older, newer = AnswerFactory(author=make_expert()), AnswerFactory(author=make_expert("conditions"))
    curation.feature_answer(moderator=moderator, answer=older)
    curation.feature_answer(moderator=moderator, answer=newer)
    assert featured_on_home(client) == [newer.pk, older.pk]


def test_expert_qa_groups_featured_answers_by_category(client):
    now = timezone.now()
    conditions = AnswerFactory(
        author=make_expert("conditions"),
        question=QuestionFactory(category=category("conditions")),
        is_featured=True,
        featured_at=now,
    )
    mental = AnswerFactory(author=make_expert(), is_featured=True, featured_at=now)
    AnswerFactory(author=make_expert())  # not featured
    answers = client.get(reverse("forum:expert_qa")).context["answers"]
    assert [a.pk for a in answers] == [mental.pk, conditions.pk]  # Mental Health sorts before Conditions


def test_moderator_unfeatures_and_the_answer_leaves_the_home_page(moderator_client, client):
    answer = AnswerFactory(author=make_expert(), is_featured=True, featured_at=timezone.now())
    moderator_client.post(feature_url(answer), {"undo": "1"})
    answer.refresh_from_db()
    assert not answer.is_featured
    assert featured_on_home(client) == []
    assert AuditEntry.objects.filter(action="unfeature").exists()


def test_feature_with_htmx_returns_the_answer_fragment(moderator_client):
    answer = AnswerFactory(author=make_expert())
    response = moderator_client.post(feature_url(answer), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith("<article") and "answer-featured" in html.split(">")[0]
    assert "Unfeature" in html


def test_only_expert_answers_can_be_featured(moderator_client):
    answer = AnswerFactory()
    response = moderator_client.post(feature_url(answer))
    assert response.status_code == 400
    assert "Only answers by verified experts can be featured." in response.content.decode()
    assert not Answer.objects.get(pk=answer.pk).is_featured
    assert (
        "Feature on the home page"
        not in moderator_client.get(answer.question.get_absolute_url()).content.decode()
    )


def test_members_cannot_feature(member_client, client):
    answer = AnswerFactory(author=make_expert())
    assert member_client.post(feature_url(answer)).status_code == 403
    client.force_login(answer.author)
    assert client.post(feature_url(answer)).status_code == 403  # not the expert either
    assert (
        "Feature on the home page"
        not in member_client.get(answer.question.get_absolute_url()).content.decode()
    )
    assert not Answer.objects.get(pk=answer.pk).is_featured


def test_pending_expert_answers_cannot_be_featured(moderator_client):
    answer = AnswerFactory(author=make_expert(), status=Status.PENDING)
    assert moderator_client.post(feature_url(answer)).status_code == 400
    assert not Answer.objects.get(pk=answer.pk).is_featured


def test_featured_answer_of_an_expired_expert_leaves_the_home_page(client):
    expert = make_expert()
    AnswerFactory(author=expert, is_featured=True, featured_at=timezone.now())
    expert.expert_credential.verified_until = timezone.now()
    expert.expert_credential.save()
    assert featured_on_home(client) == []


def test_feature_and_accept_announce_live_events(moderator, member, monkeypatch):

    sent = []
    monkeypatch.setattr(
        events, "publish", lambda stream, type, data=None, **kw: sent.append((stream, type, data))
    )
    question = QuestionFactory(author=member)
    answer = AnswerFactory(question=question, author=make_expert())
    curation.feature_answer(moderator=moderator, answer=answer)
    curation.accept_answer(actor=member, answer=answer)
    stream = f"question.{question.pk}"
    assert (
        stream,
        "answer.featured",
        {"answer_id": answer.pk, "question_id": question.pk, "featured": True},
    ) in sent
    assert (stream, "answer.accepted", {"question_id": question.pk, "answer_id": answer.pk}) in sent


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, url) -> int:

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busy_question(question, n):
    """n answers: half by experts, votes on each, one accepted, one featured; authors with badges."""

    helpful = Badge.objects.get(code="helpful")
    voter = UserFactory()
    answers = []
    for i in range(n):
        author = make_expert(["mental-health", "conditions"][i % 2]) if i % 2 else UserFactory()
        BadgeAward.objects.get_or_create(user=author, badge=helpful)
        answer = AnswerFactory(question=question, author=author, score=i)
        Vote.objects.create(voter=voter, answer=answer, value=Vote.UP)
        answers.append(answer)
    Answer.objects.filter(pk=answers[1].pk).update(is_featured=True, featured_at=timezone.now())
    Question.objects.filter(pk=question.pk).update(accepted_answer=answers[0])
    return voter


@pytest.mark.parametrize("viewer", ["visitor", "member", "moderator", "asker"])
def test_question_page_queries_do_not_grow_with_answers_votes_and_experts(viewer, moderator):
    question = QuestionFactory()
    voter = _busy_question(question, 2)
    people = {"visitor": None, "member": voter, "moderator": moderator, "asker": question.author}
    client = Client()
    if people[viewer] is not None:
        client.force_login(people[viewer])
    url = question.get_absolute_url()
    _queries(client, url)  # warm the navigation cache
    few = _queries(client, url)
    _busy_question(question, 12)
    many = _queries(client, url)
    assert many == few, f"{viewer}: {few} queries with 2 answers, {many} with 14"


def test_home_page_queries_do_not_grow_with_featured_answers(client):
    AnswerFactory(author=make_expert(), is_featured=True, featured_at=timezone.now())
    _queries(client, "/")
    few = _queries(client, "/")
    for slug in ["conditions", "diet-fitness", "living-well"]:
        AnswerFactory(author=make_expert(slug), is_featured=True, featured_at=timezone.now())
        QuestionFactory(author=UserFactory(reputation=50))
    assert _queries(client, "/") == few


def test_expert_qa_page_queries_do_not_grow(client):
    AnswerFactory(author=make_expert(), is_featured=True, featured_at=timezone.now())
    _queries(client, reverse("forum:expert_qa"))
    few = _queries(client, reverse("forum:expert_qa"))
    for slug in ["conditions", "diet-fitness", "living-well", "mental-health"]:
        AnswerFactory(author=make_expert(slug), is_featured=True, featured_at=timezone.now())
    assert _queries(client, reverse("forum:expert_qa")) == few


def test_the_live_accepted_event_carries_the_answer_with_its_accepted_mark(member, monkeypatch):
    # Open pages replace the answer with this HTML: without the mark, other readers (and the asker, when the
    # event arrives after their own click's response) saw the accepted answer lose "Accepted by the asker".
    sent = []
    monkeypatch.setattr(
        events, "publish", lambda stream, type, data=None, html="", **kw: sent.append((type, html))
    )
    question = QuestionFactory(author=member)
    answer = AnswerFactory(question=question)
    answer = Answer.objects.select_related("question").get(pk=answer.pk)  # as the view loads it
    curation.accept_answer(actor=member, answer=answer)
    (html,) = [html for type, html in sent if type == "answer.accepted"]
    assert "✓ Accepted by the asker" in html
    assert 'class="answer answer-accepted"' in html

"""Two or more moderators deciding the same pending item at the same moment: exactly one decision wins,
the others are told who was first, and the audit log holds exactly one entry."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from community.audit.models import AuditEntry
from forum.models import Answer, Question, Status
from forum.moderation import review
from tests.factories import AnswerFactory, QuestionFactory, make_moderator

needs_postgres = pytest.mark.skipif(
    not settings.IS_POSTGRES,
    reason="real concurrent connections need PostgreSQL; SQLite serialises writers on one file",
)

MODERATORS = 4


def run_together(calls):
    """Run each call in its own thread (and so its own database connection), released at one barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("won", call())
        except review.AlreadyDecided as exc:
            results[index] = ("lost", str(exc))
        except Exception as exc:  # surfaced in the assertion below, with its type
            results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a decision hung"
    return results


def decide_calls(moderators, item):
    calls = []
    for i, moderator in enumerate(moderators):
        if i % 2 == 0:
            calls.append(
                lambda m=moderator: review.approve(moderator=m, item=type(item).objects.get(pk=item.pk))
            )
        else:
            calls.append(
                lambda m=moderator: review.reject(
                    moderator=m, item=type(item).objects.get(pk=item.pk), reason="Please remove names."
                )
            )
    return calls


@pytest.mark.slow
@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind", ["question", "answer"])
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_decisions_on_one_item_have_exactly_one_winner(kind, round_):
    moderators = [make_moderator(display_name=f"Moderator {i}") for i in range(MODERATORS)]
    if kind == "question":
        item = QuestionFactory(status=Status.PENDING)
    else:
        item = AnswerFactory(status=Status.PENDING)
    model = type(item)

    results = run_together(decide_calls(moderators, item))

    assert [r for r in results if r[0] == "error"] == []
    winners = [i for i, r in enumerate(results) if r[0] == "won"]
    assert len(winners) == 1
    winner = moderators[winners[0]]
    item = model.objects.select_related("decided_by").get(pk=item.pk)
    assert item.decided_by == winner
    expected_status = Status.APPROVED if winners[0] % 2 == 0 else Status.REJECTED
    assert item.status == expected_status
    for i, (outcome, message) in enumerate(results):
        if i != winners[0]:
            assert outcome == "lost"
            assert message == f"Already {expected_status.label.lower()} by {winner.public_name}."
    entries = AuditEntry.objects.filter(target_id=item.pk, action__in=["approve", "reject"])
    assert entries.count() == 1
    assert entries.get().actor == winner


@pytest.mark.slow
@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_http_decisions_answer_the_loser_with_409_naming_the_winner():
    moderators = [make_moderator(display_name=name) for name in ("Alex", "Billie")]
    question = QuestionFactory(status=Status.PENDING)
    url = reverse("forum:moderation_decide", args=["question", question.pk])
    clients = []
    for moderator in moderators:
        client = Client()
        client.force_login(moderator)
        clients.append(client)

    def post(client, decision):
        return lambda: client.post(
            url, {"decision": decision, "reason": "Too personal."}, HTTP_HX_REQUEST="true"
        )

    results = run_together([post(clients[0], "approve"), post(clients[1], "reject")])

    responses = [response for _, response in results]
    assert sorted(r.status_code for r in responses) == [200, 409]
    question.refresh_from_db()
    winner_name = question.decided_by.public_name
    loser = next(r for r in responses if r.status_code == 409)
    assert f"Already {question.get_status_display().lower()} by {winner_name}." in loser.content.decode()
    assert AuditEntry.objects.filter(target_id=question.pk).count() == 1


@pytest.mark.django_db
def test_losing_moderator_sees_already_approved_by_the_winner():
    first, second = make_moderator(display_name="Alex"), make_moderator(display_name="Billie")
    question = QuestionFactory(status=Status.PENDING, title="Is a cold shower good for the heart?")
    first_client, second_client = Client(), Client()
    first_client.force_login(first)
    second_client.force_login(second)
    second_queue = second_client.get(reverse("forum:moderation_queue"))  # both have the item open
    assert question.title in second_queue.content.decode()

    url = reverse("forum:moderation_decide", args=["question", question.pk])
    first_client.post(url, {"decision": "approve"})
    response = second_client.post(url, {"decision": "reject", "reason": "Duplicate."}, follow=True)

    assert response.status_code == 200
    assert "Already approved by Alex." in response.content.decode()
    question.refresh_from_db()
    assert (question.status, question.decided_by) == (Status.APPROVED, first)
    assert AuditEntry.objects.count() == 1
    assert not Answer.objects.exists()
    assert Question.objects.get(pk=question.pk).decision_reason == ""

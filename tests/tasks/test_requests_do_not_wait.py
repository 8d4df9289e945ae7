"""No request waits for the mail server: with an SMTP server that takes 5 s to answer, a vote, an expert's
answer and a moderator's approval still answer in well under a second, and their emails arrive afterwards,
sent by the embedded site's in-process task thread (no REDIS_URL, no worker: what `make run` runs)."""

import time

import pytest
from django.urls import reverse

from community.celery import app as celery_app
from community.celery import wait_for_in_process_tasks
from community.mail.models import OutboundEmail
from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_expert, make_moderator
from tests.tasks.smtp import TestSMTPServer, use_smtp

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USUAL_SECONDS = 1.0


@pytest.fixture
def in_process_thread(settings):
    """The embedded default: tasks run in this process after the commit, on the task thread."""
    celery_app.conf.task_always_eager = True
    settings.TASKS_IN_PROCESS_INLINE = False
    yield
    wait_for_in_process_tasks(timeout=60)  # nothing runs on into the next test


def timed_post(client, path, data) -> float:
    started = time.monotonic()
    response = client.post(path, data)
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content[:500]
    return elapsed


def test_vote_answer_and_approval_answer_at_once_while_the_mail_server_takes_five_seconds(
    client, settings, in_process_thread
):
    moderator = make_moderator()
    expert = make_expert()
    voter, asker, author = UserFactory(), UserFactory(), UserFactory()
    question = QuestionFactory(author=asker, title="Waking at 4 am every night")
    voted_answer = AnswerFactory(question=question)
    pending = AnswerFactory(question=QuestionFactory(), author=author, status=Status.PENDING)

    with TestSMTPServer(delay=5) as smtp:
        use_smtp(settings, smtp)
        client.force_login(voter)
        vote = timed_post(client, reverse("forum:vote", args=["answer", voted_answer.pk]), {"value": "up"})
        client.force_login(expert)
        answer = timed_post(
            client,
            reverse("forum:answer_create", args=[question.pk]),
            {
                "body": "Early waking is common with low mood; see your doctor if it lasts.",
                "accept_terms": "on",
            },
        )
        client.force_login(moderator)
        approval = timed_post(
            client, reverse("forum:moderation_decide", args=["answer", pending.pk]), {"decision": "approve"}
        )
        print(
            f"request seconds with a 5 s mail server: vote {vote:.3f}, answer {answer:.3f}, approval {approval:.3f}"
        )
        assert max(vote, answer, approval) < USUAL_SECONDS, (vote, answer, approval)

        # The emails still go: the asker's "an expert answered" and the author's "approved", one each.
        received = smtp.wait_for(2, timeout=30)
    recipients = sorted(
        line for message in received for line in message.splitlines() if line.startswith("To:")
    )
    assert recipients == sorted([f"To: {asker.email}", f"To: {author.email}"])
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 0

"""The outbox in one process: an email is written in the change's transaction and sent after the commit,
once however often its task runs; nothing is enqueued for a rolled-back change; the mail server's transient
failures are retried with growing delays, its refusals are not; emails whose task was lost are swept up;
and no email, outbox row or log line carries what must stay private."""

import json
import logging
import smtplib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from community import celery as community_celery
from community import redis_health
from community.mail import delivery, tasks
from community.mail.models import OutboundEmail
from community.mail.outbox import queue_email
from community.notifications.services import notify
from forum.models import Status
from forum.moderation import review
from forum.posting import services as posting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_expert, make_moderator

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


class FlakyBackend(LocmemBackend):
    """Fails the first `failures` sends with `error`, then delivers to mail.outbox."""

    failures = 0
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise FlakyBackend.error
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.tasks.test_outbox.FlakyBackend"
    FlakyBackend.calls = 0
    monkeypatch.setattr(tasks, "IN_PROCESS_MAX_PAUSE_SECONDS", 0)  # in-process retries without the pause
    return FlakyBackend


def a_message(to="kim@example.org", subject="Hello"):
    return EmailMessage(subject, "A short note.", None, [to])


def test_an_approval_email_waits_for_the_commit_and_is_sent_once(django_capture_on_commit_callbacks):
    author = UserFactory()
    answer = AnswerFactory(author=author, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review.approve(moderator=make_moderator(), item=answer)
    assert mail.outbox == []  # written to the outbox, not sent, before the commit
    (email,) = OutboundEmail.objects.all()
    assert email.message["to"] == [author.email] and email.sent_at is None
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[author.email]]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.message == {}  # the content (links, titles) is not kept once sent


def test_a_rolled_back_change_enqueues_nothing_and_sends_nothing(
    django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(community_celery, "enqueue", lambda task, *args: enqueued.append((task.name, args)))
    author = UserFactory()
    answer = AnswerFactory(author=author, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback), transaction.atomic():
        review.approve(moderator=make_moderator(), item=answer)
        assert OutboundEmail.objects.count() == 1  # written inside the transaction...
        raise Rollback
    assert OutboundEmail.objects.count() == 0  # ...and gone with it
    assert enqueued == []
    assert mail.outbox == []
    # The same approval committed does enqueue its email: the spy above would have seen a rolled-back one.
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(moderator=make_moderator(), item=answer)
    assert enqueued == [(tasks.send_email.name, (OutboundEmail.objects.get().pk,))]


def test_running_the_send_task_again_sends_no_second_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(a_message())
    assert len(mail.outbox) == 1
    assert tasks.send_email.apply(args=[email.pk]).get() == "done"  # a retried or redelivered task
    assert tasks.send_email.apply(args=[email.pk]).get() == "done"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_second_task_while_another_worker_holds_the_email_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_email(a_message())
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now() + timedelta(minutes=1))
    assert tasks.send_email.apply(args=[email.pk]).get() == "busy"
    assert mail.outbox == []
    # Once that worker's lease has run out (it died), the email is taken over and sent.
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert tasks.send_email.apply(args=[email.pk]).get() == "sent"
    assert len(mail.outbox) == 1


def test_one_notification_queues_one_email_however_often_it_is_queued(django_capture_on_commit_callbacks):
    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(asker, "approved", "Your question was approved.", "/q/1/x/")
        message = a_message(to=asker.email)
        assert queue_email(message, key=f"notification:{notification.pk}") is None
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_transient_smtp_errors_are_retried_until_the_email_goes_once(
    flaky, django_capture_on_commit_callbacks
):
    flaky.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(a_message())
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    email.refresh_from_db()
    assert (email.attempts, email.sent_at is not None) == (3, True)


def test_retries_back_off_doubling_up_to_an_hour(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 30
    assert [tasks.retry_delay(n) for n in range(9)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_the_task_asks_celery_to_retry_with_the_backoff_delay(flaky, monkeypatch, settings):
    """What a worker does on an SMTP error: Retry with the countdown for this attempt (the worker process
    test shows the broker honouring it, tests/tasks/test_worker.py)."""
    settings.MAIL_RETRY_BACKOFF_SECONDS = 30
    flaky.failures = 99
    email = OutboundEmail.objects.create(message=_parts(a_message()))
    countdowns = []

    def record_retry(*args, countdown=None, **kwargs):
        countdowns.append(countdown)
        raise RuntimeError("stop")  # a worker would schedule the retry; here one attempt is enough

    monkeypatch.setattr(tasks.send_email, "retry", record_retry)
    for attempt in range(3):
        tasks.send_email.push_request(retries=attempt, is_eager=False)
        try:
            with pytest.raises(RuntimeError):
                tasks.send_email.run(email.pk)
        finally:
            tasks.send_email.pop_request()
    assert countdowns == [30, 60, 120]
    email.refresh_from_db()
    assert (email.attempts, email.last_error, email.claimed_until) == (3, "SMTPServerDisconnected", None)


def test_a_refused_recipient_is_not_retried_and_not_logged(
    flaky, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    flaky.failures = 99
    refused = smtplib.SMTPRecipientsRefused({"kim@example.org": (550, b"No such user kim@example.org")})
    monkeypatch.setattr(FlakyBackend, "error", refused)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        email = queue_email(a_message(subject="About your sleep question"))
    email.refresh_from_db()
    assert email.attempts == 1 and email.failed_at is not None and email.sent_at is None
    assert email.last_error == "SMTPRecipientsRefused"
    assert "kim@example.org" not in caplog.text and "sleep" not in caplog.text


def test_the_sweep_sends_emails_whose_task_was_lost_and_leaves_held_ones(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down at the commit: no task
        lost = queue_email(a_message(to="lost@example.org"))
        held = queue_email(a_message(to="held@example.org"))
        fresh = queue_email(a_message(to="fresh@example.org"))
    long_ago = timezone.now() - timedelta(minutes=10)
    OutboundEmail.objects.filter(pk__in=[lost.pk, held.pk]).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=held.pk).update(claimed_until=timezone.now() + timedelta(minutes=1))
    assert tasks.send_pending_emails.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["lost@example.org"]]
    assert OutboundEmail.objects.get(pk=fresh.pk).sent_at is None  # its own task may still be queued


def test_sent_rows_are_purged_after_the_keeping_days(settings, django_capture_on_commit_callbacks):
    settings.MAIL_OUTBOX_KEEP_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        old, recent = queue_email(a_message()), queue_email(a_message())
    unsent = OutboundEmail.objects.create(
        message=_parts(a_message()), created_at=timezone.now() - timedelta(days=30)
    )
    OutboundEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=8))
    assert tasks.purge_sent_emails.apply().get() == 1
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}


def test_private_content_never_reaches_the_outbox_or_the_emails(django_capture_on_commit_callbacks, caplog):
    """Planted: a pending answer's text, a rejection reason, and an anonymous asker, whose identity the
    expert's "answered" email must not carry to anyone else."""
    moderator, expert = make_moderator(), make_expert()
    anonymous_asker = UserFactory(display_name="Hidden Hana")
    question = QuestionFactory(author=anonymous_asker, is_anonymous=True, title="Panic at night")
    pending = AnswerFactory(question=question, status=Status.PENDING, body="PENDING-SECRET-BODY")
    rejected = QuestionFactory(status=Status.PENDING, title="A question to reject")
    outbox_json = []
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=False) as callbacks:
        review.reject(moderator=moderator, item=rejected, reason="REJECTION-SECRET-REASON")
        posting.answer(author=expert, question=question, body="EXPERT-ANSWER-BODY", accepted_terms=True)
        outbox_json = [json.dumps(row.message) for row in OutboundEmail.objects.all()]
    for callback in callbacks:
        callback()
    assert len(outbox_json) == 2 and len(mail.outbox) == 2
    written = outbox_json + [m.subject + m.body for m in mail.outbox]
    for secret in ("PENDING-SECRET-BODY", "REJECTION-SECRET-REASON", "EXPERT-ANSWER-BODY", pending.body):
        assert all(secret not in text for text in written), secret
    to_others = [m.subject + m.body for m in mail.outbox if m.to != [anonymous_asker.email]]
    assert all("Hidden Hana" not in text and anonymous_asker.email not in text for text in to_others)
    assert all(m.to[0] not in caplog.text for m in mail.outbox)  # no address in the log


def _parts(message) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": message.to,
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
        "content_subtype": "plain",
    }


def test_the_admin_lists_waiting_emails_without_their_address_or_content(client, admin_user):
    with transaction.atomic():
        email = queue_email(a_message(to="private@example.org", subject="Your question about panic"))
    client.force_login(admin_user)
    listing = client.get(reverse("admin:mail_outboundemail_changelist"))
    detail = client.get(reverse("admin:mail_outboundemail_change", args=[email.pk]))
    assert listing.status_code == detail.status_code == 200
    assert f">{email.pk}<" in listing.content.decode()
    for page in (listing, detail):
        assert "private@example.org" not in page.content.decode()
        assert "panic" not in page.content.decode()


def _use_broker(url: str) -> str:
    """Publish to `url` from now on (Celery keeps its connection and producer pools per broker)."""
    app = community_celery.app
    previous, app.conf.broker_url = app.conf.broker_url, url
    app._pool = None
    app.amqp._producer_pool = None
    return previous


def test_an_unreachable_broker_fails_no_request_and_the_sweep_sends_the_email_later(
    django_capture_on_commit_callbacks, caplog
):
    community_celery.app.conf.task_always_eager = False
    previous = _use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
            email = queue_email(a_message(to="waiting@example.org"))  # the commit goes through
    finally:
        _use_broker(previous)
        community_celery.app.conf.task_always_eager = True
        redis_health.report_up("test")  # the outage this test made is over for the tests after it
    assert "not queued: the broker is unreachable" in caplog.text  # the enqueue did fail, said in one line
    assert "Traceback" not in caplog.text
    assert "waiting@example.org" not in caplog.text
    email.refresh_from_db()
    assert email.sent_at is None and email.message["to"] == ["waiting@example.org"]  # kept, not lost

    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.send_pending_emails.apply().get() == 1  # beat's sweep, once the broker is back
    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]


def test_deleting_an_account_drops_the_emails_still_waiting_for_it(client):
    member, other = UserFactory(), UserFactory()
    with transaction.atomic():  # queued, not yet sent (no commit hooks run in this test)
        queue_email(a_message(to=member.email, subject="Your answer was approved"))
        kept = queue_email(a_message(to=other.email))
    client.force_login(member)
    response = client.post(
        reverse("accounts:delete_account"), {"password": "correct horse battery", "confirm": "on"}
    )
    assert response.status_code == 302
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_database_hiccup_while_recording_the_send_does_not_send_it_twice(
    monkeypatch, django_capture_on_commit_callbacks
):
    update, failed = QuerySet.update, []

    def update_failing_once_on_sent(self, **kwargs):
        if "sent_at" in kwargs and not failed:
            failed.append(True)
            raise OperationalError("database is locked")
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_failing_once_on_sent)
    monkeypatch.setattr(delivery, "time", SimpleNamespace(sleep=lambda seconds: None))
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(a_message())
    assert failed and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert tasks.send_email.apply(args=[email.pk]).get() == "done"
    assert len(mail.outbox) == 1

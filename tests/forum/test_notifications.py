"""The notification centre (unread and read, mark one or all read, plain and htmx), email preferences, and
emails for the important notifications: sent after the commit, with nothing but the question's title."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import ExpertCredential
from community.notifications.models import Notification, NotificationPreference
from community.notifications.services import notify
from forum.models import Status
from forum.moderation import review
from forum.posting import services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, add_totp, category, make_moderator

pytestmark = pytest.mark.django_db


def _notifications(user, unread=2, read=1):

    for i in range(unread):
        Notification.objects.create(recipient=user, kind="answered", text=f"Unread news {i}", url="/q/1/x/")
    for i in range(read):
        Notification.objects.create(
            recipient=user, kind="approved", text=f"Old news {i}", read_at=timezone.now()
        )


def test_the_centre_lists_unread_then_read_and_the_header_counts_unread(member_client, member):
    _notifications(member)
    page = member_client.get(reverse("notifications:centre")).content.decode()
    assert page.index("Unread news") < page.index("Earlier") < page.index("Old news 0")
    assert 'id="unread-count"' in page and ">2</span>" in page
    assert page.count("Mark read") == 2


def test_the_centre_shows_only_your_own_notifications(member_client, other_member):
    _notifications(other_member)
    page = member_client.get(reverse("notifications:centre")).content.decode()
    assert "Unread news" not in page and "You are all caught up." in page


def test_the_centre_needs_a_login(client):
    response = client.get(reverse("notifications:centre"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_centre_page_queries_do_not_grow_with_notifications(
    member_client, member, django_assert_max_num_queries
):
    _notifications(member, unread=30, read=30)
    with django_assert_max_num_queries(12):
        assert member_client.get(reverse("notifications:centre")).status_code == 200


def test_mark_one_read_with_a_plain_form(member_client, member):
    _notifications(member, unread=2, read=0)
    first = Notification.objects.filter(recipient=member).first()
    response = member_client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 1


def test_mark_one_read_with_htmx_answers_with_the_centre_and_the_new_count(member_client, member):
    _notifications(member, unread=2, read=0)
    first = Notification.objects.filter(recipient=member).first()
    response = member_client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="notification-centre">')
    assert 'hx-swap-oob="outerHTML:#unread-count"' in html and ">1</span>" in html


def test_nobody_can_mark_someone_elses_notification(member_client, other_member):
    _notifications(other_member, unread=1, read=0)
    theirs = Notification.objects.get(recipient=other_member)
    member_client.post(reverse("notifications:read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(member_client, member):
    _notifications(member, unread=3, read=1)
    response = member_client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_marking_read_needs_a_post(member_client, member):
    _notifications(member, unread=1, read=0)
    assert member_client.get(reverse("notifications:read_all")).status_code == 405


def test_preferences_form_saves_choices(member_client, member):
    url = reverse("notifications:preferences")
    assert "Email me when a verified expert answers my question" in member_client.get(url).content.decode()
    response = member_client.post(url, {"email_expert_answered": "on", "email_answered": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=member)
    assert (preference.email_expert_answered, preference.email_decisions, preference.email_answered) == (
        True,
        False,
        True,
    )


# --- Emails -------------------------------------------------------------------------------------------------


def test_approval_email_is_sent_after_commit_with_the_title_only(django_capture_on_commit_callbacks):
    moderator = make_moderator()
    author = UserFactory()
    question = QuestionFactory(title="Can magnesium help with cramps?")
    answer = AnswerFactory(author=author, question=question, status=Status.PENDING, body="SECRET-BODY-TEXT")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review.approve(moderator=moderator, item=answer)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    to_author = [m for m in mail.outbox if m.to == [author.email]]
    assert len(to_author) == 1
    message = to_author[0]
    assert "approved" in message.subject
    assert "Can magnesium help with cramps?" in message.body
    assert "SECRET-BODY-TEXT" not in message.body
    assert answer.get_absolute_url() in message.body


def test_rejection_email_leaves_out_the_reason(django_capture_on_commit_callbacks):
    moderator = make_moderator()
    question = QuestionFactory(status=Status.PENDING, title="Dizzy after standing up")
    with django_capture_on_commit_callbacks(execute=True):
        review.reject(moderator=moderator, item=question, reason="Remove your doctor's name, Dr. Smith.")
    assert len(mail.outbox) == 1
    assert "not approved" in mail.outbox[0].subject
    assert "Dr. Smith" not in mail.outbox[0].body
    assert "Dizzy after standing up" in mail.outbox[0].body


def test_expert_answer_emails_the_asker_unless_they_opted_out(django_capture_on_commit_callbacks):

    asker, opted_out = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=opted_out, email_expert_answered=False)
    expert = UserFactory()
    add_totp(expert)
    ExpertCredential.objects.create(
        user=expert,
        profession="Psychiatrist",
        specialty=category(),
        credentials="Psychiatrist, State University",
        verified_at=timezone.now(),
        verified_until=timezone.now() + timezone.timedelta(days=365),
    )
    for person in (asker, opted_out):
        question = QuestionFactory(author=person)
        with django_capture_on_commit_callbacks(execute=True):
            services.answer(
                author=expert, question=question, body="Sleep hygiene first.", accepted_terms=True
            )
    assert [m.to for m in mail.outbox] == [[asker.email]]
    assert "expert" in mail.outbox[0].subject.lower()


def test_unimportant_notifications_send_no_email(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(member, "badge", "You earned First Question.", "/")
        notify(member, "answered", "Your question has a new answer.", "/")  # off by default
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member).count() == 2


def test_the_header_count_follows_new_and_read_notifications(member_client, member):
    # The count is cached per member and dropped whenever one of their notifications is created or read.
    def header_count() -> int:
        page = member_client.get(reverse("forum:home")).content.decode()
        return int(re.search(r'id="unread-count"[^>]*>(\d+)<', page).group(1))

    assert header_count() == 0
    notify(member, "answered", "Someone answered your question.", "/q/1/x/")
    assert header_count() == 1
    assert header_count() == 1  # from the cache
    notify(member, "approved", "Your question was approved.", "/q/1/x/")
    assert header_count() == 2
    member_client.post(reverse("notifications:read_all"))
    assert header_count() == 0

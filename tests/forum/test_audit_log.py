"""The audit log: readable action names, filters that combine, paging, and bad filters reported."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.audit import log as audit
from community.audit.models import AuditEntry
from tests.factories import UserFactory, make_moderator

pytestmark = pytest.mark.django_db

URL = reverse("forum:audit_log")


def entry(*, actor, action, subject=None, days_ago=0, reason=""):
    made = audit.record(actor=actor, action=action, subject=subject, reason=reason)
    when = timezone.make_aware(datetime(2026, 6, 30, 12, 0)) - timedelta(days=days_ago)
    AuditEntry.objects.filter(pk=made.pk).update(created_at=when)
    return made


def rows(response) -> list[str]:
    """The reasons of the listed entries (each test gives its entries distinct reasons)."""
    return [e.reason for e in response.context["page"].object_list]


def test_actions_are_shown_by_name_and_stored_as_before(moderator_client, moderator):
    applicant = UserFactory(display_name="Dr. Lee")
    entry(actor=moderator, action="expert_approve", subject=applicant)
    page = moderator_client.get(URL).content.decode()
    assert "Expert approved" in page
    assert ">expert_approve<" not in page
    assert AuditEntry.objects.get().action == "expert_approve"  # the stored string did not change


def test_filters_by_action_moderator_member_and_dates_combine(moderator_client, moderator):
    other_moderator = make_moderator(display_name="Quinn")
    ann, bob = UserFactory(display_name="Ann Example"), UserFactory(display_name="Bob Example")
    entry(actor=moderator, action="warn", subject=ann, days_ago=1, reason="match")
    entry(actor=moderator, action="warn", subject=ann, days_ago=20, reason="too old")
    entry(actor=moderator, action="hide", subject=ann, days_ago=1, reason="other action")
    entry(actor=other_moderator, action="warn", subject=ann, days_ago=1, reason="other moderator")
    entry(actor=moderator, action="warn", subject=bob, days_ago=1, reason="other member")

    assert len(rows(moderator_client.get(URL))) == 5
    assert sorted(rows(moderator_client.get(URL, {"action": "warn"}))) == [
        "match", "other member", "other moderator", "too old"
    ]  # fmt: skip
    response = moderator_client.get(
        URL,
        {
            "action": "warn",
            "moderator": moderator.pk,
            "member": "ann",
            "since": "2026-06-25",
            "until": "2026-06-30",
        },
    )
    assert response.status_code == 200
    assert rows(response) == ["match"]
    page = response.content.decode()
    assert 'value="ann"' in page and 'value="2026-06-25"' in page  # the filters stay filled in


def test_a_bad_filter_is_reported_and_the_others_still_apply(moderator_client, moderator):
    entry(actor=moderator, action="warn", reason="warned")
    entry(actor=moderator, action="hide", reason="hidden")
    response = moderator_client.get(URL, {"action": "warn", "since": "yesterday"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert 'value="yesterday"' in response.content.decode()
    assert rows(response) == ["warned"]
    response = moderator_client.get(URL, {"since": "2026-07-02", "until": "2026-07-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_the_log_is_paged_newest_first_and_pages_keep_the_filters(moderator_client, moderator, settings):
    for n in range(55):
        entry(actor=moderator, action="warn", days_ago=n, reason=f"warn {n}")
    entry(actor=moderator, action="hide", reason="not a warning")
    first = moderator_client.get(URL, {"action": "warn"})
    assert rows(first)[:2] == ["warn 0", "warn 1"] and len(rows(first)) == 50
    page = first.content.decode()
    assert 'href="?action=warn&amp;page=2"' in page
    second = moderator_client.get(URL, {"action": "warn", "page": 2})
    assert rows(second) == [f"warn {n}" for n in range(50, 55)]
    assert moderator_client.get(URL, {"page": "junk"}).status_code == 200  # a bad page number: the first

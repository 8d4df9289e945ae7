"""Members' permissions are kept in the cache (accounts.backends), so a change of role must reach the very
next request: made a moderator, removed from the moderators, or the group losing the permission."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db


def queue_status(client) -> int:
    return client.get(reverse("forum:moderation_queue")).status_code


def test_a_role_change_reaches_the_next_request():
    member = add_totp(UserFactory())
    client = Client()
    client.force_login(member)
    assert queue_status(client) == 403
    assert queue_status(client) == 403  # now from the cache
    moderators = Group.objects.get(name="Moderators")
    member.groups.add(moderators)
    assert queue_status(client) == 200
    assert queue_status(client) == 200
    member.groups.remove(moderators)
    assert queue_status(client) == 403


def test_a_group_losing_the_permission_takes_it_from_its_members():
    member = add_totp(UserFactory())
    moderators = Group.objects.get(name="Moderators")
    member.groups.add(moderators)
    client = Client()
    client.force_login(member)
    assert queue_status(client) == 200
    moderators.permissions.remove(Permission.objects.get(codename="moderate"))
    assert queue_status(client) == 403

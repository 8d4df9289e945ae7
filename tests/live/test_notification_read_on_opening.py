"""Opening the question a notification points to marks that notification read: the header's count (cached)
drops at once, and the member's other open pages are told live (`notifications.read`)."""

import re

import pytest
from django.test import Client

from community.notifications.models import Notification
from forum.posting import services
from tests.factories import QuestionFactory, UserFactory, make_expert
from tests.live.conftest import open_socket, receive_until, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def header_unread(client: Client, url: str = "/") -> int:
    html = client.get(url).content.decode()
    return int(re.search(r'id="unread-count"[^>]*>(\d+)<', html).group(1))


def arrange():
    asker = UserFactory(display_name="Ellen")
    answered = QuestionFactory(author=asker)
    other = QuestionFactory(author=asker)
    for question in (answered, other):  # an expert's answer publishes at once and notifies the asker
        services.answer(author=make_expert(), question=question, body="See your doctor.", accepted_terms=True)
    client = Client()
    client.force_login(asker)
    return asker, answered, client


async def test_opening_the_question_marks_its_notification_read_live_and_in_the_header():
    asker, answered, client = await run(arrange)()
    assert await run(header_unread)(client) == 2  # now in the cache
    pointing = await run(Notification.objects.get)(recipient=asker, url__contains=f"/q/{answered.pk}/")
    socket = await open_socket(asker)
    await subscribe(socket, f"user.{asker.pk}")

    assert await run(header_unread)(client, answered.get_absolute_url()) == 1

    told = await receive_until(socket, "notifications.read")
    assert told["data"]["ids"] == [pointing.pk]
    assert told["data"]["unread"] == 1
    await run(pointing.refresh_from_db)()
    assert pointing.read_at is not None
    assert await run(header_unread)(client) == 1  # the cached count was dropped
    await socket.disconnect()


async def test_someone_elses_visit_reads_nothing():
    asker, answered, _client = await run(arrange)()
    visitor = Client()
    await run(visitor.force_login)(await run(UserFactory)())
    await run(visitor.get)(answered.get_absolute_url())
    assert await run(Notification.objects.filter(recipient=asker, read_at__isnull=True).count)() == 2

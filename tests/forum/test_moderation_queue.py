"""The moderation queue page: oldest first, filters by kind and category, the age of each item."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    now = timezone.now()
    return {
        "old_question": QuestionFactory(
            status=Status.PENDING,
            title="Oldest: can stress raise my blood sugar?",
            category=category("conditions"),
            created_at=now - timedelta(days=2),
        ),
        "answer": AnswerFactory(
            status=Status.PENDING,
            body="Middle: a short walk after meals helps me.",
            question=QuestionFactory(
                title="What lowers blood sugar after meals?", category=category("diet-fitness")
            ),
            created_at=now - timedelta(hours=5),
        ),
        "new_question": QuestionFactory(
            status=Status.PENDING,
            title="Newest: is it normal to cry at work?",
            category=category("mental-health"),
            created_at=now - timedelta(minutes=3),
        ),
    }


def test_queue_lists_pending_items_oldest_first_with_their_age(moderator_client, waiting):
    page = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    positions = [page.index(text) for text in ("Oldest:", "Middle:", "Newest:")]
    assert positions == sorted(positions)
    old_item = page[page.index(f'id="queue-question-{waiting["old_question"].pk}"') :]
    old_item = old_item[: old_item.index("</li>")]
    assert "<time" in old_item
    assert "2\xa0days" in old_item


def test_queue_filters_by_kind(moderator_client, waiting):
    page = moderator_client.get(reverse("forum:moderation_queue") + "?kind=answer").content.decode()
    assert "Middle:" in page
    assert "Oldest:" not in page and "Newest:" not in page
    page = moderator_client.get(reverse("forum:moderation_queue") + "?kind=question").content.decode()
    assert "Middle:" not in page
    assert "Oldest:" in page and "Newest:" in page


def test_queue_filters_by_category(moderator_client, waiting):
    page = moderator_client.get(
        reverse("forum:moderation_queue") + "?category=mental-health"
    ).content.decode()
    assert "Newest:" in page
    assert "Oldest:" not in page and "Middle:" not in page
    # An answer is filed under its question's category.
    page = moderator_client.get(reverse("forum:moderation_queue") + "?category=diet-fitness").content.decode()
    assert "Middle:" in page
    assert "Oldest:" not in page


def test_unknown_filters_show_everything(moderator_client, waiting):
    page = moderator_client.get(
        reverse("forum:moderation_queue") + "?kind=vote&category=nope"
    ).content.decode()
    assert all(text in page for text in ("Oldest:", "Middle:", "Newest:"))

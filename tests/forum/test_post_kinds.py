"""Every path that names a post by kind ("question"/"answer") finds its model through the one map,
forum.models.POST_MODELS: the same kinds work everywhere and anything else is a 404."""

import pytest
from django.urls import reverse

from forum.models import POST_MODELS, Answer, Question, post_model
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_map_holds_each_post_model_under_its_kind_name():
    assert {"question": Question, "answer": Answer} == POST_MODELS
    assert all(post_model(model.kind_name) is model for model in (Question, Answer))
    assert post_model("edit") is None and post_model("Question") is None


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_each_kind_is_found_by_voting_flagging_and_moderating(kind, member_client, moderator_client):
    item = QuestionFactory() if kind == "question" else AnswerFactory()
    assert member_client.post(reverse("forum:vote", args=[kind, item.pk]), {"value": "up"}).status_code != 404
    flagged = member_client.post(reverse("forum:flag", args=[kind, item.pk]), {"reason": "spam"})
    assert flagged.status_code != 404
    assert moderator_client.get(reverse("forum:moderate_item", args=[kind, item.pk])).status_code == 200


@pytest.mark.parametrize("kind", ["user", "Question", "vote"])
def test_an_unknown_kind_is_not_found_on_every_path(kind, member_client, moderator_client):
    pk = QuestionFactory().pk
    assert member_client.post(reverse("forum:vote", args=[kind, pk]), {"value": "up"}).status_code == 404
    assert member_client.post(reverse("forum:flag", args=[kind, pk]), {"reason": "spam"}).status_code == 404
    assert moderator_client.get(reverse("forum:moderate_item", args=[kind, pk])).status_code == 404
    decide = reverse("forum:moderation_decide", args=[kind, pk])
    assert moderator_client.post(decide, {"decision": "approve"}).status_code == 404

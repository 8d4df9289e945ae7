"""The experts-only stream that carries "I'm answering this" (forum.inbox.claims): only acting verified
experts may follow it, and its events say which public question and which expert, nothing more."""

import pytest

from forum.inbox import claims
from tests.factories import QuestionFactory, UserFactory, make_expert, make_moderator
from tests.live.conftest import open_socket, receive_until, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def test_only_acting_experts_follow_the_experts_stream_and_hear_claims():
    ada = await run(make_expert)("mental-health", display_name="Dr. Ada")
    ben = await run(make_expert)("mental-health", display_name="Dr. Ben")
    for outsider in (
        None,
        await run(UserFactory)(),
        await run(make_moderator)(),
        await run(make_expert)("conditions", mfa=False),  # powers locked until TOTP
        await run(make_expert)("conditions", days_left=-1),  # verification expired
    ):
        socket = await open_socket(outsider)
        assert await subscribe(socket, "experts") == [{"denied": "experts"}]
        await socket.disconnect()
    socket = await open_socket(ada)
    assert (await subscribe(socket, "experts"))[0].get("subscribed") == "experts"
    question = await run(QuestionFactory)()
    await run(lambda: claims.claim(expert=ben, question=question))()
    event = await receive_until(socket, "expert.claim")
    assert event["stream"] == "experts"
    assert set(event["data"]) == {"question_id", "claimed", "by_id", "by", "since"}
    assert (event["data"]["question_id"], event["data"]["by"]) == (question.pk, "Dr. Ben")
    await socket.disconnect()

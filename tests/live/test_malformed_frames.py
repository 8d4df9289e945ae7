"""Malformed WebSocket frames of any shape are refused with a log line that holds none of their content, and
the same socket keeps serving: after each bad frame, a subscribe and a vote still work on it."""

import json
import logging

import pytest

from forum.models import Vote
from tests.factories import AnswerFactory, UserFactory
from tests.live.conftest import drain, open_socket, receive, run, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "my-hiv-test-result"  # stands for health data a frame may carry: never in the log


def _vote(pk, **changes) -> dict:
    return {"vote": {"kind": "answer", "id": pk, "value": "up", **changes}, "ref": 1}


BAD_FRAMES = {
    "nested lists": {"text_data": "[" * 2000 + "]" * 2000},
    "nested objects": {"text_data": '{"a":' * 600 + "1" + "}" * 600},
    "nested in a subscribe": {"text_data": '{"subscribe":' + "[" * 1500 + "]" * 1500 + "}"},
    "too large": {"text_data": json.dumps({"subscribe": [SECRET * 400]})},
    "too large in bytes": {"text_data": json.dumps({"subscribe": ["€" * 3000 + SECRET]}, ensure_ascii=False)},
    "binary": {"bytes_data": b"\x00\x01" + SECRET.encode()},
    "invalid UTF-8 as binary": {"bytes_data": b'{"subscribe": ["\xff\xfe' + SECRET.encode() + b'"]}'},
    "lone surrogate": {"text_data": '{"subscribe": ["feed.home\ud800' + SECRET + '"]}'},
    "not JSON": {"text_data": "{not json " + SECRET},
    "a list": {"text_data": json.dumps(["subscribe", "feed.home", SECRET])},
    "a string": {"text_data": json.dumps(SECRET)},
    "a number": {"text_data": "12"},
    "null": {"text_data": "null"},
    "unknown kind": {"text_data": json.dumps({"hello": SECRET})},
    "unknown key in a subscribe": {"text_data": json.dumps({"subscribe": ["feed.home"], "note": SECRET})},
    "subscribe not a list": {"text_data": json.dumps({"subscribe": "feed.home"})},
    "since not an object": {"text_data": json.dumps({"subscribe": ["feed.home"], "since": [1, 2]})},
    "since a string": {"text_data": json.dumps({"subscribe": ["feed.home"], "since": {"feed.home": "41"}})},
    "since huge": {"text_data": json.dumps({"subscribe": ["feed.home"], "since": {"feed.home": 10**30}})},
    "huge integer": {"text_data": '{"subscribe": ["feed.home"], "since": {"feed.home": ' + "9" * 4000 + "}}"},
    "huge float": {"text_data": '{"subscribe": ["feed.home"], "since": {"feed.home": 1e400}}'},
}

# Votes need the answer's id: (name, message builder)
BAD_VOTES = {
    "vote id a string": lambda pk: _vote(str(pk)),
    "vote id huge": lambda pk: _vote(10**30),
    "vote id a float": lambda pk: _vote(pk + 0.5),
    "vote value a list": lambda pk: _vote(pk, value=["up"]),
    "vote with an unknown key": lambda pk: _vote(pk, note=SECRET),
    "vote message with an unknown key": lambda pk: {**_vote(pk), "note": SECRET},
    "vote ref a string": lambda pk: {**_vote(pk), "ref": SECRET},
    "vote ref huge": lambda pk: {**_vote(pk), "ref": 10**30},
    "vote a list": lambda pk: {"vote": [pk, "up"], "ref": 1},
}


async def _still_serves(socket, answer) -> None:
    """A subscribe and a vote on the same socket still get their answers."""
    assert await subscribe(socket, f"question.{answer.question_id}") == [
        {"subscribed": f"question.{answer.question_id}", "seq": 0}
    ]
    await socket.send_to(text_data=json.dumps(_vote(answer.pk)))
    reply = await receive(socket, timeout=5)
    assert reply == {"voted": {"kind": "answer", "id": answer.pk, "score": 1, "my_vote": 1}, "ref": 1}


@pytest.mark.parametrize("name", [*BAD_FRAMES, *BAD_VOTES])
async def test_a_malformed_frame_is_refused_and_the_socket_keeps_serving(name, caplog):
    answer = await run(AnswerFactory)()
    socket = await open_socket(await run(UserFactory)())
    frame = BAD_FRAMES.get(name) or {"text_data": json.dumps(BAD_VOTES[name](answer.pk))}
    with caplog.at_level(logging.INFO, logger="forum.live.consumers"):
        await socket.send_to(**frame)
        assert await drain(socket) == []  # no reply, no close
    assert "Ignored" in caplog.text
    assert SECRET not in caplog.text
    assert not await run(Vote.objects.exists)()
    await _still_serves(socket, answer)
    await socket.disconnect()

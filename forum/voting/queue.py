"""Votes sent over the live socket, applied in batches ("group commit").

A member's vote button sends {"vote": ...} on the page's socket when it is open (static/js/live.js); the
consumer hands the ballot to this process's queue and awaits its result. While one batch is being written
(forum.voting.services.vote_many, one transaction in the database thread), the ballots that arrive meanwhile wait
and go together in the next batch. A quiet site writes each vote at once (a batch of one); a busy one
writes hundreds per transaction, so votes/s grow with the load instead of queueing on a transaction per
vote (bench/RESULTS.md, "Votes"). The member gets an answer only once their vote is committed.

Rate limits are the page's form's (forum.safety.ratelimit, "vote"), taken by the engine for accepted ballots.
"""

import asyncio
import logging
import weakref

from channels.db import database_sync_to_async

from forum.voting.services import Ballot, BallotResult, Refusal, vote_many

log = logging.getLogger(__name__)

MAX_BATCH = 500
_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, VoteQueue]" = weakref.WeakKeyDictionary()


@database_sync_to_async
def _apply(ballots: list[Ballot]) -> list[BallotResult]:
    return vote_many(ballots)


class VoteQueue:
    def __init__(self):
        self._waiting: list[tuple[Ballot, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None

    async def submit(self, ballot: Ballot) -> BallotResult:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((ballot, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                results = await _apply([ballot for ballot, _ in batch])
            except Exception:
                # The whole batch was rolled back: nobody's vote counted, and every voter is told so.
                log.exception("A batch of %d votes failed", len(batch))
                results = [
                    BallotResult(kind=b.kind, item_id=b.item_id, refusal=Refusal.FAILED) for b, _ in batch
                ]
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # the socket may have closed meanwhile
                    future.set_result(result)


def get_queue() -> VoteQueue:
    """This event loop's queue (one per server process; tests run a loop each)."""
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = VoteQueue()
    return queue

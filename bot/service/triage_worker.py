"""Triage and drafting for the service: mentions from the intake, in batches, off the event loop.

The intent model is CPU work of tens of milliseconds a mention, so a batch runs in a worker
thread (``asyncio.to_thread``, :func:`bot.service.triage_step.triage_and_queue`) while the
loop goes on serving webhooks and Slack; then the cards are published at once (urgent cards
jump the posting queue). A mention whose triage fails stays ``received`` in the store and is
tried again by the next recovery pass, which also picks up what ``socialbot ingest`` stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.service.intake import Intake
from bot.service.triage_step import triage_and_queue
from bot.store.port import Store
from bot.store.records import MentionKey, MentionRecord, describe_key

log = logging.getLogger(__name__)

#: Most mentions triaged in one go: a storm is handled in steps, so cards keep flowing.
BATCH = 32
#: How often the store is searched for mentions stored but never triaged (crash, `ingest`).
RECOVER_SECONDS = 60.0

#: Called with each key queued for review; the Slack app's ``desk.publish`` posts its cards.
Publish = Callable[[MentionKey], object]


@dataclass
class TriageStats:
    triaged: int = 0
    failed: int = 0  # batches that failed as a whole (a bug): their mentions are retried


class TriageWorker:
    def __init__(
        self,
        store: Store,
        processor: MentionProcessor,
        intake: Intake,
        publish: Publish | None = None,
        *,
        batch: int = BATCH,
        recover_seconds: float = RECOVER_SECONDS,
    ) -> None:
        self._store = store
        self._processor = processor
        self._intake = intake
        self._publish = publish
        self._batch = batch
        self._recover_seconds = recover_seconds
        self.stats = TriageStats()

    async def recover(self) -> int:
        """Queue every stored mention still ``received``; returns how many."""
        records = await asyncio.to_thread(
            self._store.in_state, ReviewState.RECEIVED, 1000
        )
        self._intake.requeue(r.key for r in records)
        if records:
            log.info("%d stored mention(s) waiting for triage", len(records))
        return len(records)

    async def run(self, stop: asyncio.Event) -> None:
        """Triage until ``stop`` is set, then finish whatever is already queued."""
        queue = self._intake.waiting
        while not (stop.is_set() and queue.empty()):
            if queue.empty():
                await self._idle(stop)
                continue
            keys = [queue.get_nowait() for _ in range(min(self._batch, queue.qsize()))]
            try:
                await self.triage(keys)
            except Exception:
                # Nothing is lost: the mentions are stored as received and recovered later.
                log.exception("triage of %d mention(s) failed; they will be tried again", len(keys))
                self.stats.failed += len(keys)

    async def _idle(self, stop: asyncio.Event) -> None:
        queue = self._intake.waiting
        stopping = asyncio.ensure_future(stop.wait())
        arriving = asyncio.ensure_future(queue.get())
        try:
            done, _ = await asyncio.wait(
                {stopping, arriving},
                timeout=self._recover_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            stopping.cancel()
            if not arriving.done():
                arriving.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await arriving
        if arriving.done() and not arriving.cancelled():
            # Put it back: run() takes it with whatever else has arrived.
            queue.put_nowait(arriving.result())
        elif not done:
            await self.recover()

    async def triage(self, keys: list[MentionKey]) -> list[MentionRecord]:
        """Triage the mentions of ``keys`` that are still ``received``, queue them for review
        and publish their cards."""
        records = await asyncio.to_thread(triage_and_queue, self._store, self._processor, keys)
        self.stats.triaged += len(records)
        if self._publish is None:
            return records
        for record in records:
            if record.state is not ReviewState.QUEUED_FOR_REVIEW:
                continue
            try:
                await asyncio.to_thread(self._publish, record.key)
            except Exception:
                # The Slack sweep posts any card that is missing, so this is not fatal.
                log.exception("could not publish the card of %s", describe_key(record.key))
        return records

"""Where every new mention enters: stored first (idempotently), then handed to triage.

A mention is acknowledged to its source (a poll's cursor saved, a webhook answered 200) only
after :meth:`Intake.accept` returns, and that happens only once it is committed to the store:
a crash after that point loses nothing, because mentions still ``received`` are triaged again
when the service starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import Mention
from bot.store.port import Store
from bot.store.records import MentionKey


@dataclass(frozen=True)
class Accepted:
    """What one hand-over did: how many mentions were new, how many already stored."""

    new: int
    repeated: int


class Intake:
    """Stores mentions and queues the keys of those that still need triage."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.waiting: asyncio.Queue[MentionKey] = asyncio.Queue()

    async def accept(self, mentions: Iterable[Mention]) -> Accepted:
        """Store ``mentions`` (raising StoreError if that fails) and queue them for triage."""
        batch = list(mentions)
        if not batch:
            return Accepted(0, 0)
        created = await asyncio.to_thread(self._store_all, batch)
        for mention in batch:
            # Repeats are queued too: the triage worker skips what is already triaged, and a
            # repeat of a mention that crashed before triage gets triaged now.
            self.waiting.put_nowait(mention.key)
        return Accepted(created, len(batch) - created)

    def requeue(self, keys: Iterable[MentionKey]) -> None:
        """Queue keys found in the store still waiting for triage (after a restart)."""
        for key in keys:
            self.waiting.put_nowait(key)

    def _store_all(self, mentions: list[Mention]) -> int:
        # One transaction (one fsync) for the whole delivery: all stored, or an error and
        # the source is not acknowledged, so it delivers again.
        return sum(1 for result in self._store.ingest_many(mentions) if result.created)

"""The triage step queues a whole batch in one store call, and falls back to one mention at a
time when that call fails, so one bad batch never holds the others back (real SQLite)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain import Author, Kind, Mention, Platform, TriageResult
from bot.errors import AlreadyDecided
from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.service.intake import Intake
from bot.service.triage_step import triage_and_queue
from bot.store.records import MentionRecord
from bot.store.sqlite import SqliteStore

TEXTS = (
    "I can smell gas in the hallway, please help",
    "@westkentha what time do you open on Friday?",
    "how do I pay my rent?",
)


class CountingStore(SqliteStore):
    """The real SQLite store, counting batch calls; ``refuse`` makes the batch call fail as
    if another worker had changed one of its mentions meanwhile."""

    refuse = False

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.batches: list[int] = []

    def submit_triaged(
        self, results: Sequence[TriageResult], *, actor: str = "triage"
    ) -> list[MentionRecord]:
        self.batches.append(len(results))
        if self.refuse:
            raise AlreadyDecided("changed while this was being decided")
        return super().submit_triaged(results, actor=actor)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CountingStore]:
    s = CountingStore(tmp_path / "socialbot.sqlite3")
    yield s
    s.close()


def mentions() -> list[Mention]:
    return [
        Mention(
            id=str(i), platform=Platform.TWITTER, kind=Kind.MENTION, author=Author("@jo"),
            text=text, created_at=datetime.now(UTC), account="westkentha",
        )
        for i, text in enumerate(TEXTS)
    ]


async def test_a_delivery_is_stored_and_queued_in_one_call_each(
    store: CountingStore, processor: MentionProcessor
) -> None:
    intake = Intake(store)
    batch = mentions()
    assert (await intake.accept([*batch, batch[0]])).new == 3
    keys = [intake.waiting.get_nowait() for _ in range(intake.waiting.qsize())]
    records = triage_and_queue(store, processor, keys)
    assert store.batches == [3]
    assert [r.key for r in records] == [m.key for m in batch]
    assert all(r.state is ReviewState.QUEUED_FOR_REVIEW for r in records)
    assert triage_and_queue(store, processor, keys) == []  # nothing left received
    assert store.batches == [3]


async def test_a_refused_batch_is_queued_one_mention_at_a_time(
    store: CountingStore, processor: MentionProcessor
) -> None:
    batch = mentions()
    store.ingest_many(batch)
    store.refuse = True
    records = triage_and_queue(store, processor, [m.key for m in batch])
    assert store.batches == [3]
    assert sorted(r.key for r in records) == sorted(m.key for m in batch)
    for mention in batch:
        record = store.get(mention.key)
        assert record is not None and record.state is ReviewState.QUEUED_FOR_REVIEW
        assert [t.to_state for t in store.history(mention.key)] == [
            ReviewState.RECEIVED, ReviewState.TRIAGED, ReviewState.QUEUED_FOR_REVIEW,
        ]

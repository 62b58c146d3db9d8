"""The batch calls (ingest_many, submit_triaged), on real SQLite and real PostgreSQL: one
transaction each, so a batch delivered twice changes nothing and a batch that fails part way
leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from store_backends import HOURS, HOURS_DRAFT, Backend, FakeClock, make_mention, queued

from bot.domain import Draft, Flag, Intent, Mention, Triage, TriageResult
from bot.errors import StoreError
from bot.review.states import ReviewState
from bot.store.sql import SqlStore

S = ReviewState
URGENT = Triage(Intent.REPAIR_REPORT, 0.88, frozenset({Flag.URGENT}))


def result(mention: Mention, triage: Triage = HOURS) -> TriageResult:
    draft = Draft(HOURS_DRAFT.text, HOURS_DRAFT.template, mention.platform)
    return TriageResult(mention=mention, triage=triage, draft=draft)


def fail_on_call(
    monkeypatch: pytest.MonkeyPatch, method: str, number: int
) -> None:
    """Make ``SqlStore.<method>`` raise a StoreError on its ``number``-th call: a database
    error part way through a batch (no wire to break inside one transaction)."""
    original = getattr(SqlStore, method)
    calls = 0

    def failing(self: SqlStore, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise StoreError("disk on fire")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, method, failing)


# --- ingest_many -----------------------------------------------------------------------------
def test_a_delivery_is_stored_at_once_in_the_order_given(store: SqlStore) -> None:
    mentions = [make_mention(i) for i in ("30", "10", "20")]
    results = store.ingest_many(mentions)
    assert [r.record.mention for r in results] == mentions
    assert all(r.created and r.record.state is S.RECEIVED for r in results)
    assert {r.key for r in store.in_state(S.RECEIVED)} == {m.key for m in mentions}
    for mention in mentions:
        history = store.history(mention.key)
        assert [(t.from_state, t.to_state, t.actor) for t in history] == [
            (None, S.RECEIVED, "ingest")
        ]


def test_a_delivery_sent_twice_is_stored_once(store: SqlStore) -> None:
    mentions = [make_mention(str(i)) for i in range(10)]
    store.ingest_many(mentions)
    again = store.ingest_many(mentions)
    assert not any(r.created for r in again)
    assert [r.record.mention for r in again] == mentions
    assert len(store.in_state(S.RECEIVED)) == 10
    assert all(len(store.history(m.key)) == 1 for m in mentions)


def test_a_mention_twice_in_one_delivery_is_stored_once(store: SqlStore) -> None:
    already = make_mention("1")
    store.ingest(already)
    mentions = [make_mention("2"), already, make_mention("2"), make_mention("3")]
    assert [r.created for r in store.ingest_many(mentions)] == [True, False, False, True]
    assert len(store.in_state(S.RECEIVED)) == 3
    assert len(store.history(make_mention("2").key)) == 1


def test_an_empty_delivery_stores_nothing(store: SqlStore) -> None:
    assert store.ingest_many([]) == []
    assert store.in_state(S.RECEIVED) == []


def test_a_delivery_that_fails_part_way_stores_none_of_it(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentions = [make_mention(str(i)) for i in range(5)]
    with monkeypatch.context() as patch:
        fail_on_call(patch, "_log", 3)  # the third mention's transition
        with pytest.raises(StoreError, match="disk on fire"):
            store.ingest_many(mentions)
    assert store.in_state(S.RECEIVED) == []
    assert all(store.get(m.key) is None and store.history(m.key) == [] for m in mentions)
    # The source was not acknowledged, so it delivers again: now all of it is stored.
    assert all(r.created for r in store.ingest_many(mentions))
    assert len(store.in_state(S.RECEIVED)) == 5


def test_a_stored_delivery_survives_reopening(backend: Backend, clock: FakeClock) -> None:
    first = backend.open(clock)
    mentions = [make_mention(str(i)) for i in range(4)]
    first.ingest_many(mentions)
    first.close()
    second = backend.open(clock)
    try:
        assert {r.key for r in second.in_state(S.RECEIVED)} == {m.key for m in mentions}
    finally:
        second.close()


# --- submit_triaged --------------------------------------------------------------------------
def test_a_triaged_batch_is_queued_for_review_with_every_transition(
    store: SqlStore, clock: FakeClock
) -> None:
    stored, new = make_mention("1"), make_mention("2")
    store.ingest(stored)
    clock.advance(seconds=1)
    records = store.submit_triaged([result(stored), result(new, URGENT)])
    assert [r.key for r in records] == [stored.key, new.key]
    assert all(r.state is S.QUEUED_FOR_REVIEW for r in records)
    assert records[0].triage == HOURS and records[1].triage == URGENT
    assert records[0].draft is not None and records[0].draft.text == HOURS_DRAFT.text
    assert [r.key for r in store.review_queue()] == [new.key, stored.key]  # urgent first
    assert [(t.from_state, t.to_state, t.actor) for t in store.history(stored.key)] == [
        (None, S.RECEIVED, "ingest"),
        (S.RECEIVED, S.TRIAGED, "triage"),
        (S.TRIAGED, S.QUEUED_FOR_REVIEW, "triage"),
    ]
    assert [t.to_state for t in store.history(new.key)] == [
        S.RECEIVED, S.TRIAGED, S.QUEUED_FOR_REVIEW,
    ]
    assert store.history(new.key)[1].text == HOURS_DRAFT.text


def test_a_triaged_batch_submitted_twice_changes_nothing(store: SqlStore) -> None:
    mentions = [make_mention(str(i)) for i in range(6)]
    store.ingest_many(mentions)
    batch = [result(m) for m in mentions]
    first = store.submit_triaged(batch)
    histories = {m.key: store.history(m.key) for m in mentions}
    again = store.submit_triaged([result(m, URGENT) for m in mentions])
    assert again == first  # the first triage stands
    assert {m.key: store.history(m.key) for m in mentions} == histories


def test_what_people_already_decided_is_left_alone(store: SqlStore) -> None:
    decided, triaged = make_mention("1"), make_mention("2")
    queued(store, decided)
    store.approve(decided.key, actor="U1")
    store.ingest(triaged)
    store.record_triage(triaged.key, HOURS, None)
    records = store.submit_triaged([result(decided, URGENT), result(triaged, URGENT)])
    assert records[0].state is S.APPROVED and records[0].triage == HOURS
    assert records[1].state is S.QUEUED_FOR_REVIEW and records[1].triage == HOURS
    assert records[1].draft is None  # its own triage, not the batch's


def test_a_triaged_batch_that_fails_part_way_changes_none_of_it(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentions = [make_mention(str(i)) for i in range(4)]
    store.ingest_many(mentions[:3])  # the fourth arrives with its triage
    before = {m.key: store.history(m.key) for m in mentions}
    with monkeypatch.context() as patch:
        fail_on_call(patch, "_move", 4)  # the second mention's queue_for_review step
        with pytest.raises(StoreError, match="disk on fire"):
            store.submit_triaged([result(m) for m in mentions])
    assert {m.key: store.history(m.key) for m in mentions} == before
    assert len(store.in_state(S.RECEIVED)) == 3
    assert store.get(mentions[3].key) is None
    assert all(r.triage is None for r in store.in_state(S.RECEIVED))
    assert store.review_queue() == []
    # Tried again, the whole batch goes through.
    records = store.submit_triaged([result(m) for m in mentions])
    assert all(r.state is S.QUEUED_FOR_REVIEW for r in records)

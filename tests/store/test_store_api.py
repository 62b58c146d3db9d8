"""The store's contract, run against real SQLite and real PostgreSQL (see conftest.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from store_backends import HOURS, Backend, FakeClock, make_mention, postgres_unavailable, queued

import bot.store.sql as sql_module
from bot.config import load_settings
from bot.domain import Draft, Flag, Intent, Platform, Triage
from bot.errors import (
    AlreadyDecided,
    IllegalTransition,
    InputError,
    LeaseLost,
    StoreError,
    UnknownMention,
)
from bot.review.states import ModerationAction, ReviewState
from bot.store import open_store
from bot.store.postgres import PostgresStore
from bot.store.records import (
    AttemptOutcome,
    OutboxAction,
    OutboxStatus,
    decode_key,
    encode_key,
)
from bot.store.sql import SqlStore
from bot.store.sqlite import SqliteStore

S = ReviewState
LEASE = timedelta(seconds=30)


# --- ingest ----------------------------------------------------------------------------------
def test_the_same_mention_delivered_twice_is_stored_once(store: SqlStore) -> None:
    mention = make_mention("1001")
    first = store.ingest(mention)
    again = store.ingest(mention)
    assert first.created and not again.created
    assert again.record.mention == mention
    assert again.record.state is S.RECEIVED
    assert len(store.in_state(S.RECEIVED)) == 1
    assert [t.to_state for t in store.history(mention.key)] == [S.RECEIVED]


def test_the_key_is_platform_account_and_id(store: SqlStore) -> None:
    store.ingest(make_mention("7"))
    assert store.ingest(make_mention("7", platform=Platform.FACEBOOK)).created
    assert store.ingest(make_mention("7", account="another_account")).created
    assert len(store.in_state(S.RECEIVED)) == 3


def test_a_stored_mention_reads_back_as_it_was(store: SqlStore) -> None:
    created = datetime(2025, 3, 3, 9, 30, 15, 123456, tzinfo=ZoneInfo("Europe/London"))
    mention = make_mention("42", created_at=created)
    store.ingest(mention)
    record = store.get(mention.key)
    assert record is not None
    assert record.mention == mention
    assert record.mention.created_at.tzinfo is not None
    assert record.received_at == store._now()
    assert store.get(("twitter", "westkentha", "nope")) is None


def test_what_was_committed_survives_reopening(backend: Backend, clock: FakeClock) -> None:
    first = backend.open(clock)
    queued(first, make_mention("1"))
    first.approve(("twitter", "westkentha", "1"), actor="U1")
    first.close()
    second = backend.open(clock)
    try:
        record = second.get(("twitter", "westkentha", "1"))
        assert record is not None and record.state is S.APPROVED
        assert [i.status for i in second.outbox_for(record.key)] == [OutboxStatus.PENDING]
    finally:
        second.close()


# --- the state machine -----------------------------------------------------------------------
def test_every_transition_records_who_when_and_what_text(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = make_mention("1")
    store.ingest(mention)
    clock.advance(seconds=1)
    draft = Draft("We're open 9 to 5.", "opening_hours", Platform.TWITTER)
    store.record_triage(mention.key, HOURS, draft)
    clock.advance(seconds=1)
    store.queue_for_review(mention.key, actor="bot")
    clock.advance(minutes=5)
    store.approve_edited(mention.key, actor="U_ALICE", text="We're open 9am-5pm, Jo.")
    history = store.history(mention.key)
    assert [(t.from_state, t.to_state) for t in history] == [
        (None, S.RECEIVED),
        (S.RECEIVED, S.TRIAGED),
        (S.TRIAGED, S.QUEUED_FOR_REVIEW),
        (S.QUEUED_FOR_REVIEW, S.EDITED),
    ]
    assert [t.actor for t in history] == ["ingest", "triage", "bot", "U_ALICE"]
    start = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    assert [t.at for t in history] == [
        start,
        start + timedelta(seconds=1),
        start + timedelta(seconds=2),
        start + timedelta(seconds=2, minutes=5),
    ]
    assert history[0].text == mention.text
    assert history[1].text == draft.text
    assert "opening_hours" in history[1].note
    assert history[3].text == "We're open 9am-5pm, Jo."
    record = store.get(mention.key)
    assert record is not None
    assert record.state is S.EDITED
    assert record.reply_text == "We're open 9am-5pm, Jo."
    assert record.decided_by == "U_ALICE" and record.decided_at == clock.now
    assert record.draft == draft and record.triage == HOURS


def test_an_illegal_step_raises_and_changes_nothing(store: SqlStore) -> None:
    mention = make_mention("1")
    store.ingest(mention)
    with pytest.raises(IllegalTransition) as raised:
        store.approve(mention.key, actor="U1")
    assert raised.value.current == "received" and raised.value.target == "approved"
    with pytest.raises(IllegalTransition):
        store.queue_for_review(mention.key)
    record = store.get(mention.key)
    assert record is not None and record.state is S.RECEIVED
    assert store.outbox_for(mention.key) == []
    assert len(store.history(mention.key)) == 1


def test_a_second_approval_is_already_decided_and_sends_nothing_more(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U_ALICE")
    assert item.action is OutboxAction.REPLY and item.text == HOURS_TEXT(store, mention.key)
    for actor in ("U_ALICE", "U_BOB"):
        with pytest.raises(AlreadyDecided):
            store.approve(mention.key, actor=actor)
    with pytest.raises(AlreadyDecided):
        store.reject(mention.key, actor="U_BOB")
    assert len(store.outbox_for(mention.key)) == 1
    assert [t.actor for t in store.history(mention.key)][-1] == "U_ALICE"


def HOURS_TEXT(store: SqlStore, key: tuple[str, str, str]) -> str:
    record = store.get(key)
    assert record is not None and record.draft is not None
    return record.draft.text


def test_expected_state_mismatch_is_already_decided(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    store.escalate(mention.key, actor="U_ALICE", note="for comms")
    # Bob's card still shows "queued_for_review": his approval must not go through.
    with pytest.raises(AlreadyDecided):
        store.approve(mention.key, actor="U_BOB", expected=S.QUEUED_FOR_REVIEW)
    record = store.get(mention.key)
    assert record is not None and record.state is S.ESCALATED
    store.approve(mention.key, actor="U_COMMS", expected=S.ESCALATED)


def test_approving_without_a_draft_is_refused_but_editing_works(store: SqlStore) -> None:
    mention = make_mention("1")
    store.ingest(mention)
    store.record_triage(mention.key, Triage(Intent.OTHER, 0.5), None)
    store.queue_for_review(mention.key)
    with pytest.raises(IllegalTransition, match="no draft"):
        store.approve(mention.key, actor="U1")
    with pytest.raises(InputError):
        store.approve_edited(mention.key, actor="U1", text="   ")
    item = store.approve_edited(mention.key, actor="U1", text="Thanks Jo!")
    assert item.text == "Thanks Jo!"


def test_no_reply_is_ever_queued_for_youtube(store: SqlStore) -> None:
    mention = queued(store, make_mention("yt1", platform=Platform.YOUTUBE))
    with pytest.raises(IllegalTransition, match="youtube"):
        store.approve_edited(mention.key, actor="U1", text="hello")
    assert store.outbox_for(mention.key) == []


def test_unknown_mentions_are_reported(store: SqlStore) -> None:
    with pytest.raises(UnknownMention):
        store.reject(("twitter", "westkentha", "404"), actor="U1")


def test_hiding_puts_a_hide_in_the_outbox_and_leaving_does_not(store: SqlStore) -> None:
    spam = queued(store, make_mention("spam"))
    store.moderate(spam.key, actor="U1", action=ModerationAction.HIDE, note="crypto spam")
    record = store.get(spam.key)
    assert record is not None
    assert record.state is S.MODERATED and record.moderation is ModerationAction.HIDE
    assert [(i.action, i.text) for i in store.outbox_for(spam.key)] == [(OutboxAction.HIDE, "")]
    rant = queued(store, make_mention("rant"))
    store.moderate(rant.key, actor="U1", action=ModerationAction.LEAVE)
    assert store.outbox_for(rant.key) == []
    last = store.history(rant.key)[-1]
    assert (last.to_state, last.note, last.actor) == (S.MODERATED, "leave", "U1")


def test_reject_ignore_and_escalate_record_their_reason(store: SqlStore) -> None:
    a, b = queued(store, make_mention("a")), queued(store, make_mention("b"))
    store.reject(a.key, actor="U1", reason="already answered by phone")
    store.escalate(b.key, actor="U1", note="press")
    store.ignore(b.key, actor="U_COMMS", reason="journalist withdrew")
    assert store.history(a.key)[-1].text == "already answered by phone"
    assert [(t.to_state, t.text, t.note) for t in store.history(b.key)[-2:]] == [
        (S.ESCALATED, "", "press"),
        (S.IGNORED, "journalist withdrew", ""),
    ]


# --- queries ---------------------------------------------------------------------------------
def test_the_review_queue_is_urgent_first_then_oldest(store: SqlStore) -> None:
    t0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    urgent = Triage(Intent.EMERGENCY, 0.99, frozenset({Flag.URGENT}))
    queued(store, make_mention("late", created_at=t0 + timedelta(hours=2)))
    queued(store, make_mention("early", created_at=t0))
    queued(store, make_mention("gas-late", created_at=t0 + timedelta(hours=3)), urgent)
    queued(store, make_mention("gas-early", created_at=t0 + timedelta(hours=1)), urgent)
    escalated = queued(store, make_mention("press", created_at=t0 + timedelta(minutes=30)))
    store.escalate(escalated.key, actor="U1")
    done = queued(store, make_mention("done", created_at=t0 - timedelta(hours=1)))
    store.reject(done.key, actor="U1")
    ids = [r.mention.id for r in store.review_queue()]
    assert ids == ["gas-early", "gas-late", "early", "press", "late"]
    assert store.review_queue()[0].urgent
    assert len(store.review_queue(limit=2)) == 2


def test_in_state_lists_mentions_to_pick_up_after_a_restart(store: SqlStore) -> None:
    store.ingest(make_mention("1"))
    queued(store, make_mention("2"))
    assert [r.mention.id for r in store.in_state(S.RECEIVED)] == ["1"]
    assert [r.mention.id for r in store.in_state(S.QUEUED_FOR_REVIEW)] == ["2"]


def test_counts_by_intent_for_a_local_day(store: SqlStore) -> None:
    london = ZoneInfo("Europe/London")
    complaint = Triage(Intent.COMPLAINT, 0.8)
    # 23:30 London on 30 June is 22:30 UTC the same day (BST); 00:30 on 1 July is next day.
    when = {
        "a": datetime(2025, 6, 30, 23, 30, tzinfo=london),
        "b": datetime(2025, 6, 30, 0, 10, tzinfo=london),
        "c": datetime(2025, 7, 1, 0, 30, tzinfo=london),
        "d": datetime(2025, 6, 30, 12, 0, tzinfo=london),
    }
    for mention_id, created in when.items():
        queued(store, make_mention(mention_id, created_at=created),
               complaint if mention_id == "d" else HOURS)
    store.ingest(make_mention("untriaged", created_at=datetime(2025, 6, 30, 12, tzinfo=london)))
    assert store.counts_by_intent(date(2025, 6, 30), london) == {
        Intent.OPENING_HOURS: 2,
        Intent.COMPLAINT: 1,
    }
    assert store.counts_by_intent(date(2025, 7, 1), london) == {Intent.OPENING_HOURS: 1}
    assert store.counts_by_intent(date(2025, 7, 2), london) == {}


def test_transitions_since_pages_through_everything(
    store: SqlStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_module, "_TRANSITIONS_PAGE", 3)
    for i in range(4):
        queued(store, make_mention(str(i)))  # 3 transitions each
        clock.advance(hours=1)
    everything = list(store.transitions())
    assert len(everything) == 12
    assert [t.id for t in everything] == sorted(t.id for t in everything)
    since = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    assert {t.key[2] for t in store.transitions(since)} == {"2", "3"}


# --- the outbox ------------------------------------------------------------------------------
def test_a_claimed_item_is_leased_to_one_worker(store: SqlStore, clock: FakeClock) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    assert item.lease_owner == "w1" and item.lease_until == clock.now + LEASE
    assert store.claim_outbox("w2", lease=LEASE) == []
    with pytest.raises(LeaseLost):
        store.start_attempt(item.id, "w2")
    clock.advance(seconds=31)  # w1 died: its lease runs out and w2 may take over
    [again] = store.claim_outbox("w2", lease=LEASE)
    assert again.id == item.id and again.lease_owner == "w2"
    with pytest.raises(LeaseLost):
        store.start_attempt(item.id, "w1")


def test_an_attempt_is_committed_before_the_platform_is_called(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    started = store.start_attempt(item.id, "w1")
    assert started.attempts == 1 and started.last_outcome is AttemptOutcome.OPEN
    assert started.needs_reconcile
    [attempt] = store.attempts(item.id)
    assert attempt.idempotency_key == item.idempotency_key
    assert attempt.outcome is AttemptOutcome.OPEN
    record = store.get(mention.key)
    assert record is not None and record.state is S.SENDING
    done = store.record_sent(item.id, "w1", "tweet-555")
    assert done.status is OutboxStatus.DONE and done.platform_id == "tweet-555"
    assert store.attempts(item.id)[0].outcome is AttemptOutcome.SENT
    record = store.get(mention.key)
    assert record is not None
    assert record.state is S.SENT and record.reply_platform_id == "tweet-555"
    assert store.record_sent(item.id, "w1", "tweet-555") == done  # recording twice is harmless
    assert store.claim_outbox("w1", lease=LEASE) == []


def test_a_retry_waits_and_a_failure_hands_back_to_people(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(item.id, "w1")
    retry_at = clock.now + timedelta(minutes=1)
    waiting = store.record_retry(
        item.id, "w1", error="HTTP 429", retry_at=retry_at, outcome=AttemptOutcome.ERROR
    )
    assert waiting.next_attempt_at == retry_at and waiting.lease_owner == ""
    assert not waiting.needs_reconcile
    assert store.claim_outbox("w1", lease=LEASE) == []
    clock.advance(minutes=1)
    [item] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(item.id, "w1")
    failed = store.record_failed(item.id, "w1", error="HTTP 403", outcome=AttemptOutcome.ERROR)
    assert failed.status is OutboxStatus.FAILED
    assert [a.outcome for a in store.attempts(item.id)] == [AttemptOutcome.ERROR] * 2
    record = store.get(mention.key)
    assert record is not None and record.state is S.FAILED
    assert store.history(mention.key)[-1].note == "HTTP 403"
    # A person sends it again: a new outbox item with a new idempotency key.
    store.queue_for_review(mention.key, actor="U1", note="retry")
    second = store.approve(mention.key, actor="U1")
    assert second.id != item.id and second.idempotency_key != item.idempotency_key


def test_a_worker_that_lost_its_lease_cannot_record_a_retry(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    clock.advance(minutes=1)
    store.claim_outbox("w2", lease=LEASE)
    with pytest.raises(LeaseLost):
        store.record_retry(item.id, "w1", error="x", retry_at=clock.now)


# --- small state -----------------------------------------------------------------------------
def test_slack_cards(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    assert store.card(mention.key) is None
    store.set_card(mention.key, "C_INBOX", "1700000000.000100")
    store.set_card(mention.key, "C_COMMS", "1700000000.000200", primary=False)
    card = store.card(mention.key)
    assert card is not None and (card.channel, card.ts) == ("C_INBOX", "1700000000.000100")
    assert [(c.channel, c.primary) for c in store.cards(mention.key)] == [
        ("C_INBOX", True),
        ("C_COMMS", False),
    ]
    assert store.find_by_card("C_COMMS", "1700000000.000200") == mention.key
    assert store.find_by_card("C_COMMS", "nope") is None
    store.set_card(mention.key, "C_URGENT", "1700000000.000300")  # reposted to urgent
    card = store.card(mention.key)
    assert card is not None and card.channel == "C_URGENT"
    assert sum(c.primary for c in store.cards(mention.key)) == 1
    with pytest.raises(UnknownMention):
        store.set_card(("twitter", "x", "404"), "C", "1")


def test_cursors(store: SqlStore) -> None:
    assert store.get_cursor("twitter:mentions") is None
    store.set_cursor("twitter:mentions", "1790000000000000001")
    store.set_cursor("twitter:mentions", "1790000000000000002")
    store.set_cursor("facebook:comments", "abc")
    assert store.get_cursor("twitter:mentions") == "1790000000000000002"
    assert store.get_cursor("facebook:comments") == "abc"


def test_out_of_hours_cover(store: SqlStore, clock: FakeClock) -> None:
    assert store.get_cover() is None
    until = clock.now + timedelta(days=2)
    store.set_cover("U_SAM", "Easter cover", until)
    cover = store.get_cover()
    assert cover is not None
    assert (cover.who, cover.label, cover.until, cover.set_at) == (
        "U_SAM", "Easter cover", until, clock.now,
    )
    store.set_cover("U_KIM", "Weekend", until)
    cover = store.get_cover()
    assert cover is not None and cover.who == "U_KIM"
    clock.advance(days=2)
    assert store.get_cover() is None  # ran out
    store.set_cover("U_KIM", "Weekend", clock.now + timedelta(hours=1))
    store.clear_cover()
    assert store.get_cover() is None


def test_record_once(store: SqlStore) -> None:
    assert store.record_once("slack:action:abc") is True
    assert store.record_once("slack:action:abc") is False
    assert store.record_once("slack:action:def") is True


def test_keys_encode_for_slack_buttons() -> None:
    key = ("facebook", "page:1", "123_456/7")
    assert decode_key(encode_key(key)) == key
    with pytest.raises(InputError):
        decode_key("not json")
    with pytest.raises(InputError):
        decode_key('["a", "b"]')


# --- retention -------------------------------------------------------------------------------
def test_purge_blanks_personal_data_and_keeps_the_counts(
    store: SqlStore, clock: FakeClock
) -> None:
    old, sending, recent = (
        make_mention("old", created_at=datetime(2024, 1, 5, tzinfo=UTC)),
        make_mention("sending", created_at=datetime(2024, 1, 6, tzinfo=UTC)),
        make_mention("recent", created_at=datetime(2025, 3, 1, tzinfo=UTC)),
    )
    for mention in (old, sending, recent):
        queued(store, mention)
    item = store.approve_edited(old.key, actor="U1", text="Hi Jo, call us on 0300 100 0303")
    [claimed] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(claimed.id, "w1")
    store.record_sent(item.id, "w1", "tweet-1")
    store.approve(sending.key, actor="U1")  # still in the outbox: not purged yet
    store.record_once("old-interaction")
    counts_before = store.counts_by_intent(date(2024, 1, 5), UTC)
    with_text = [t for t in store.history(old.key) if t.text or t.note]
    assert len(with_text) >= 4  # received, triaged, edited, sending, sent carry text

    report = store.purge(datetime(2025, 1, 1, tzinfo=UTC))
    assert report.mentions == 1
    assert report.transitions == len(with_text)
    assert report.outbox == 1 and report.interactions == 0
    purged = store.get(old.key)
    assert purged is not None and purged.purged
    assert purged.mention.text == "" and purged.mention.author.handle == ""
    assert purged.mention.author.name == "" and purged.mention.url == ""
    assert purged.draft is not None and purged.draft.text == ""
    assert purged.reply_text == ""
    # What is kept: who decided what, when; intent, flags, state, the platform's id.
    assert purged.state is S.SENT and purged.triage == HOURS
    assert purged.decided_by == "U1" and purged.reply_platform_id == "tweet-1"
    assert all(t.text == "" and t.note == "" for t in store.history(old.key))
    assert [t.actor for t in store.history(old.key)][3] == "U1"
    assert store.outbox_for(old.key)[0].text == ""
    assert store.counts_by_intent(date(2024, 1, 5), UTC) == counts_before
    kept = store.get(sending.key)
    assert kept is not None and not kept.purged and kept.mention.text
    assert store.outbox_for(sending.key)[0].text
    fresh = store.get(recent.key)
    assert fresh is not None and fresh.mention.text == recent.text
    # Interactions older than the cutoff are forgotten too; a second purge finds nothing new.
    again = store.purge(clock.now + timedelta(days=1))
    assert again.interactions == 1 and again.mentions == 1  # "recent" now, not "sending"
    assert store.purge(clock.now + timedelta(days=1)).mentions == 0


def test_purge_needs_an_aware_cutoff(store: SqlStore) -> None:
    with pytest.raises(InputError):
        store.purge(datetime(2025, 1, 1))


# --- migrations ------------------------------------------------------------------------------
def test_migrations_run_once_and_refuse_a_newer_database(
    backend: Backend, clock: FakeClock
) -> None:
    store = backend.open(clock)
    try:
        assert store.migrate() == 1  # again: nothing to do, nothing breaks
        with store._transaction(write=True) as tx:
            tx.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (99, "from the future", "2030-01-01"),
            )
    finally:
        store.close()
    with pytest.raises(StoreError, match="newer"):
        backend.open(clock)


def test_a_closed_store_says_so(backend: Backend) -> None:
    store = backend.open()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.get(("twitter", "a", "1"))


def test_open_store_keeps_a_wal_sqlite_file_under_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIALBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("SOCIALBOT_DATA_DIR", str(tmp_path / "data"))
    store = open_store(load_settings())
    try:
        assert isinstance(store, SqliteStore)
        assert Path(store.path) == tmp_path / "data" / "socialbot.sqlite3"
        store.ingest(make_mention("1"))
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "data" / "socialbot.sqlite3") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("SELECT COUNT(*) FROM mentions").fetchone() == (1,)


def test_open_store_picks_postgresql_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    backend = Backend.postgres()
    backend.open().close()  # creates the schema
    try:
        options = f"options=-c%20search_path%3D{backend.schema}"
        monkeypatch.setenv("SOCIALBOT_DATABASE_URL", f"{backend.target}?{options}")
        store = open_store(load_settings())
        try:
            assert isinstance(store, PostgresStore)
            assert store.ingest(make_mention("1")).created
        finally:
            store.close()
    finally:
        backend.drop()

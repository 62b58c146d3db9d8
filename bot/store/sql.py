"""The store's logic in SQL both SQLite and PostgreSQL run; the adapters add connections.

Queries use ``?`` placeholders (the adapter rewrites them for its driver) and no ``%``.
Every public method is one transaction. State changes are compare-and-set: the UPDATE's
WHERE clause names the state the transaction read, so a concurrent change makes it update
nothing and the caller gets AlreadyDecided instead of a second decision.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.domain import (
    Author,
    Draft,
    Flag,
    Intent,
    Kind,
    Mention,
    Platform,
    Triage,
    TriageResult,
)
from bot.errors import (
    AlreadyDecided,
    IllegalTransition,
    InputError,
    LeaseLost,
    StoreError,
    UnknownMention,
)
from bot.review.states import (
    OUTBOX_STATES,
    PENDING_REVIEW,
    ModerationAction,
    ReviewState,
    check_transition,
)
from bot.store.migrations import Migration
from bot.store.records import (
    AttemptOutcome,
    AttemptRecord,
    Clock,
    Cover,
    IngestResult,
    MentionKey,
    MentionRecord,
    OutboxAction,
    OutboxItem,
    OutboxStatus,
    PurgeReport,
    SlackCard,
    TransitionRecord,
    describe_key,
)

Row = dict[str, Any]

_KEY_WHERE = "platform = ? AND account = ? AND external_id = ?"
_TRANSITIONS_PAGE = 1000


class Tx(ABC):
    """One open transaction."""

    @abstractmethod
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute; return the number of rows changed."""

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None


class SqlStore(ABC):
    """Implements :class:`bot.store.port.Store`; subclasses provide transactions."""

    #: Appended to the outbox claim's SELECT (PostgreSQL: FOR UPDATE SKIP LOCKED).
    claim_lock_clause = ""
    #: Run first when migrating, so two processes never migrate at once (SQLite: its write
    #: lock, taken at BEGIN IMMEDIATE, already does that).
    migration_lock_sql = ""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    # --- what an adapter provides ----------------------------------------------------------
    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Tx]:
        """A transaction that commits on success and rolls back on an exception."""

    @abstractmethod
    def _migrations(self) -> tuple[Migration, ...]: ...

    @abstractmethod
    def _t(self, value: datetime) -> Any:
        """A datetime as the driver stores it."""

    @abstractmethod
    def close(self) -> None: ...

    # --- helpers ---------------------------------------------------------------------------
    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise StoreError("the store's clock must return an aware datetime")
        return now.astimezone(UTC)

    @staticmethod
    def _dt(value: Any) -> datetime:
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return datetime.fromisoformat(str(value)).astimezone(UTC)

    @classmethod
    def _opt_dt(cls, value: Any) -> datetime | None:
        return None if value is None else cls._dt(value)

    def migrate(self) -> int:
        """Apply the missing schema steps; return the schema version now in force."""
        known = self._migrations()
        with self._transaction(write=True) as tx:
            if self.migration_lock_sql:
                tx.all(self.migration_lock_sql)
            tx.run(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            applied = {int(r["version"]) for r in tx.all("SELECT version FROM schema_migrations")}
            newest = max(applied, default=0)
            if newest > len(known):
                raise StoreError(
                    f"the database is at schema version {newest}, newer than this socialbot "
                    f"knows ({len(known)}): upgrade socialbot before using this database"
                )
            for migration in known:
                if migration.version in applied:
                    continue
                for statement in migration.statements:
                    tx.run(statement)
                tx.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self._now().isoformat()),
                )
            return len(known)

    # --- mentions --------------------------------------------------------------------------
    def ingest(self, mention: Mention) -> IngestResult:
        now = self._now()
        with self._transaction(write=True) as tx:
            return self._ingest(tx, mention, now)

    def ingest_many(self, mentions: Sequence[Mention]) -> list[IngestResult]:
        # One transaction, so one commit (one fsync) for a whole webhook delivery. Rows are
        # written in key order so two concurrent batches on PostgreSQL lock them in the same
        # order and cannot deadlock; results come back in the caller's order.
        now = self._now()
        with self._transaction(write=True) as tx:
            results: dict[int, IngestResult] = {}
            for index in _key_order([m.key for m in mentions]):
                results[index] = self._ingest(tx, mentions[index], now)
            return [results[i] for i in range(len(mentions))]

    def _ingest(self, tx: Tx, mention: Mention, now: datetime) -> IngestResult:
        row, created = self._ingest_row(tx, mention, now)
        return IngestResult(self._mention(row), created)

    def _ingest_row(self, tx: Tx, mention: Mention, now: datetime) -> tuple[Row, bool]:
        """Store ``mention`` unless its key is stored; the stored row, and whether it is new."""
        created = tx.run(
            "INSERT INTO mentions (platform, account, external_id, kind, author_handle,"
            " author_name, text, url, in_reply_to, created_at, received_at, updated_at,"
            " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, account, external_id) DO NOTHING",
            (
                *mention.key,
                mention.kind.value,
                mention.author.handle,
                mention.author.name,
                mention.text,
                mention.url,
                mention.in_reply_to,
                self._t(mention.created_at.astimezone(UTC)),
                self._t(now),
                self._t(now),
                ReviewState.RECEIVED.value,
            ),
        )
        if created:
            self._log(tx, mention.key, None, ReviewState.RECEIVED, "ingest", now, mention.text)
        return self._current(tx, mention.key), created == 1

    def get(self, key: MentionKey) -> MentionRecord | None:
        with self._transaction(write=False) as tx:
            row = tx.one(f"SELECT * FROM mentions WHERE {_KEY_WHERE}", key)
            return None if row is None else self._mention(row)

    def in_state(self, state: ReviewState, limit: int = 100) -> list[MentionRecord]:
        with self._transaction(write=False) as tx:
            rows = tx.all(
                "SELECT * FROM mentions WHERE state = ?"
                " ORDER BY received_at, platform, account, external_id LIMIT ?",
                (state.value, limit),
            )
            return [self._mention(r) for r in rows]

    def review_queue(self, limit: int = 50) -> list[MentionRecord]:
        states = sorted(s.value for s in PENDING_REVIEW)
        with self._transaction(write=False) as tx:
            rows = tx.all(
                f"SELECT * FROM mentions WHERE state IN ({_marks(states)})"
                " ORDER BY urgent DESC, created_at, received_at LIMIT ?",
                (*states, limit),
            )
            return [self._mention(r) for r in rows]

    def counts_by_intent(self, day: date, tz: tzinfo) -> dict[Intent, int]:
        start = datetime.combine(day, time(0), tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
        with self._transaction(write=False) as tx:
            rows = tx.all(
                "SELECT intent, COUNT(*) AS n FROM mentions WHERE intent IS NOT NULL"
                " AND created_at >= ? AND created_at < ? GROUP BY intent",
                (self._t(start), self._t(end)),
            )
        return {Intent(r["intent"]): int(r["n"]) for r in rows}

    # --- the state machine -----------------------------------------------------------------
    def record_triage(
        self, key: MentionKey, triage: Triage, draft: Draft | None, *, actor: str = "triage"
    ) -> MentionRecord:
        with self._transaction(write=True) as tx:
            self._record_triage(tx, key, triage, draft, actor)
            return self._require(tx, key)

    def _record_triage(
        self,
        tx: Tx,
        key: MentionKey,
        triage: Triage,
        draft: Draft | None,
        actor: str,
        row: Row | None = None,
    ) -> None:
        flags = ",".join(triage.sorted_flags)
        self._move(
            tx,
            key,
            ReviewState.TRIAGED,
            actor=actor,
            text=draft.text if draft else "",
            note=f"{triage.intent.value} {triage.confidence:.2f} [{flags}]",
            sets={
                "intent": triage.intent.value,
                "confidence": float(triage.confidence),
                "flags": flags,
                "urgent": int(triage.has(Flag.URGENT)),
                "draft_text": draft.text if draft else None,
                "draft_template": draft.template if draft else None,
            },
            row=row,
        )

    def submit_triaged(
        self, results: Sequence[TriageResult], *, actor: str = "triage"
    ) -> list[MentionRecord]:
        # The same steps as ingest + record_triage + queue_for_review, each still a
        # compare-and-set with its transition, but one commit for the whole batch.
        now = self._now()
        with self._transaction(write=True) as tx:
            records: dict[int, MentionRecord] = {}
            for index in _key_order([r.mention.key for r in results]):
                result = results[index]
                key = result.mention.key
                row: Row | None
                row, _ = self._ingest_row(tx, result.mention, now)
                state = ReviewState(row["state"])
                if state is ReviewState.RECEIVED:
                    self._record_triage(tx, key, result.triage, result.draft, actor, row=row)
                    state, row = ReviewState.TRIAGED, None
                if state is ReviewState.TRIAGED:
                    self._move(tx, key, ReviewState.QUEUED_FOR_REVIEW, actor=actor, row=row)
                records[index] = self._require(tx, key)
            return [records[i] for i in range(len(results))]

    def queue_for_review(
        self, key: MentionKey, *, actor: str = "bot", note: str = ""
    ) -> MentionRecord:
        with self._transaction(write=True) as tx:
            self._move(tx, key, ReviewState.QUEUED_FOR_REVIEW, actor=actor, note=note)
            return self._require(tx, key)

    def approve(
        self, key: MentionKey, *, actor: str, expected: ReviewState | None = None
    ) -> OutboxItem:
        return self._approve(key, ReviewState.APPROVED, actor, None, expected)

    def approve_edited(
        self, key: MentionKey, *, actor: str, text: str, expected: ReviewState | None = None
    ) -> OutboxItem:
        if not text.strip():
            raise InputError("the edited reply is empty")
        return self._approve(key, ReviewState.EDITED, actor, text, expected)

    def _approve(
        self,
        key: MentionKey,
        target: ReviewState,
        actor: str,
        text: str | None,
        expected: ReviewState | None,
    ) -> OutboxItem:
        now = self._now()
        with self._transaction(write=True) as tx:
            row = self._current(tx, key)
            current = ReviewState(row["state"])
            self._check(key, current, target, expected)
            if not Platform(row["platform"]).answerable:
                raise IllegalTransition(
                    describe_key(key), current.value, target.value,
                    f"we do not reply on {row['platform']}",
                )
            if text is None:
                if row["draft_text"] is None or not str(row["draft_text"]).strip():
                    raise IllegalTransition(
                        describe_key(key), current.value, target.value,
                        "there is no draft to approve (edit it to write a reply)",
                    )
                text = str(row["draft_text"])
            self._move(
                tx, key, target, actor=actor, text=text, expected=expected, row=row,
                sets={"reply_text": text, "decided_by": actor, "decided_at": self._t(now)},
            )
            return self._enqueue(tx, key, OutboxAction.REPLY, text, now)

    def reject(
        self,
        key: MentionKey,
        *,
        actor: str,
        reason: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        return self._decide(key, ReviewState.REJECTED, actor, reason, "", expected)

    def escalate(
        self, key: MentionKey, *, actor: str, note: str = "", expected: ReviewState | None = None
    ) -> MentionRecord:
        return self._decide(key, ReviewState.ESCALATED, actor, "", note, expected)

    def ignore(
        self,
        key: MentionKey,
        *,
        actor: str,
        reason: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        return self._decide(key, ReviewState.IGNORED, actor, reason, "", expected)

    def moderate(
        self,
        key: MentionKey,
        *,
        actor: str,
        action: ModerationAction,
        note: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        now = self._now()
        with self._transaction(write=True) as tx:
            self._move(
                tx, key, ReviewState.MODERATED, actor=actor, text=note, note=action.value,
                expected=expected,
                sets={
                    "moderation": action.value, "decided_by": actor,
                    "decided_at": self._t(now),
                },
            )
            if action is ModerationAction.HIDE:
                self._enqueue(tx, key, OutboxAction.HIDE, "", now)
            return self._require(tx, key)

    def _decide(
        self,
        key: MentionKey,
        target: ReviewState,
        actor: str,
        text: str,
        note: str,
        expected: ReviewState | None,
    ) -> MentionRecord:
        now = self._now()
        with self._transaction(write=True) as tx:
            self._move(
                tx, key, target, actor=actor, text=text, note=note, expected=expected,
                sets={"decided_by": actor, "decided_at": self._t(now)},
            )
            return self._require(tx, key)

    def history(self, key: MentionKey) -> list[TransitionRecord]:
        with self._transaction(write=False) as tx:
            rows = tx.all(f"SELECT * FROM transitions WHERE {_KEY_WHERE} ORDER BY id", key)
            return [self._transition(r) for r in rows]

    def transitions(self, since: datetime | None = None) -> Iterator[TransitionRecord]:
        # Pages by id, each page its own short read, so a long export holds no lock.
        after = 0
        floor = self._t(since.astimezone(UTC)) if since else None
        while True:
            with self._transaction(write=False) as tx:
                if floor is None:
                    rows = tx.all(
                        "SELECT * FROM transitions WHERE id > ? ORDER BY id LIMIT ?",
                        (after, _TRANSITIONS_PAGE),
                    )
                else:
                    rows = tx.all(
                        "SELECT * FROM transitions WHERE id > ? AND at >= ? ORDER BY id LIMIT ?",
                        (after, floor, _TRANSITIONS_PAGE),
                    )
            for row in rows:
                yield self._transition(row)
            if len(rows) < _TRANSITIONS_PAGE:
                return
            after = int(rows[-1]["id"])

    def _current(self, tx: Tx, key: MentionKey) -> Row:
        row = tx.one(f"SELECT * FROM mentions WHERE {_KEY_WHERE}", key)
        if row is None:
            raise UnknownMention(f"no mention {describe_key(key)} is stored")
        return row

    @staticmethod
    def _check(
        key: MentionKey,
        current: ReviewState,
        target: ReviewState,
        expected: ReviewState | None,
    ) -> None:
        if expected is not None and current is not expected:
            raise AlreadyDecided(
                f"{describe_key(key)} is now {current.value} (it was {expected.value} when "
                "you looked), so nothing was changed"
            )
        check_transition(describe_key(key), current, target)

    def _move(
        self,
        tx: Tx,
        key: MentionKey,
        target: ReviewState,
        *,
        actor: str,
        text: str = "",
        note: str = "",
        expected: ReviewState | None = None,
        sets: dict[str, Any] | None = None,
        row: Row | None = None,
    ) -> ReviewState:
        """Compare-and-set the state from what was read to ``target``; log the transition.
        Returns the state it moved from."""
        row = row if row is not None else self._current(tx, key)
        current = ReviewState(row["state"])
        self._check(key, current, target, expected)
        now = self._now()
        columns = {"state": target.value, "updated_at": self._t(now), **(sets or {})}
        assignments = ", ".join(f"{name} = ?" for name in columns)
        changed = tx.run(
            f"UPDATE mentions SET {assignments} WHERE {_KEY_WHERE} AND state = ?",
            (*columns.values(), *key, current.value),
        )
        if changed != 1:
            raise AlreadyDecided(
                f"{describe_key(key)} changed while this was being decided; nothing was changed"
            )
        self._log(tx, key, current, target, actor, now, text, note)
        return current

    def _log(
        self,
        tx: Tx,
        key: MentionKey,
        from_state: ReviewState | None,
        to_state: ReviewState,
        actor: str,
        at: datetime,
        text: str = "",
        note: str = "",
    ) -> None:
        tx.run(
            "INSERT INTO transitions (platform, account, external_id, from_state, to_state,"
            " actor, at, text, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *key,
                from_state.value if from_state else None,
                to_state.value,
                actor,
                self._t(at),
                text,
                note,
            ),
        )

    def _require(self, tx: Tx, key: MentionKey) -> MentionRecord:
        return self._mention(self._current(tx, key))

    # --- the outbox ------------------------------------------------------------------------
    def _enqueue(
        self, tx: Tx, key: MentionKey, action: OutboxAction, text: str, now: datetime
    ) -> OutboxItem:
        rows = tx.all(
            "INSERT INTO outbox (platform, account, external_id, action, text, idempotency_key,"
            " status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)"
            " RETURNING *",
            (
                *key,
                action.value,
                text,
                f"sb-{uuid.uuid4().hex}",
                OutboxStatus.PENDING.value,
                self._t(now),
                self._t(now),
            ),
        )
        return self._outbox(rows[0])

    def claim_outbox(
        self, worker: str, *, lease: timedelta, limit: int = 10
    ) -> list[OutboxItem]:
        now = self._now()
        due = (
            "status = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
        )
        due_params = (OutboxStatus.PENDING.value, self._t(now), self._t(now))
        with self._transaction(write=True) as tx:
            ids = [
                int(r["id"])
                for r in tx.all(
                    f"SELECT id FROM outbox WHERE {due} ORDER BY next_attempt_at, id LIMIT ?"
                    f"{self.claim_lock_clause}",
                    (*due_params, limit),
                )
            ]
            if not ids:
                return []
            rows = tx.all(
                f"UPDATE outbox SET lease_owner = ?, lease_until = ?"
                f" WHERE id IN ({_marks(ids)}) AND {due} RETURNING *",
                (worker, self._t(now + lease), *ids, *due_params),
            )
        return sorted((self._outbox(r) for r in rows), key=lambda i: (i.next_attempt_at, i.id))

    def start_attempt(
        self, item_id: int, worker: str, *, lease: timedelta | None = None
    ) -> OutboxItem:
        now = self._now()
        with self._transaction(write=True) as tx:
            item = self._item(tx, item_id)
            number = item.attempts + 1
            lease_until = now + lease if lease is not None else item.lease_until
            changed = tx.run(
                "UPDATE outbox SET attempts = ?, last_outcome = ?, lease_until = ?"
                " WHERE id = ? AND status = ? AND lease_owner = ? AND lease_until > ?"
                " AND attempts = ?",
                (
                    number,
                    AttemptOutcome.OPEN.value,
                    self._t(lease_until) if lease_until is not None else None,
                    item_id,
                    OutboxStatus.PENDING.value,
                    worker,
                    self._t(now),
                    item.attempts,
                ),
            )
            if changed != 1:
                raise LeaseLost(f"outbox item {item_id} is no longer leased to {worker}")
            # An attempt still open here was interrupted; the sender asked the platform
            # (find_sent) before starting this one.
            tx.run(
                "UPDATE outbox_attempts SET outcome = ?, finished_at = ?, error = ?"
                " WHERE item_id = ? AND outcome = ?",
                (
                    AttemptOutcome.UNKNOWN.value,
                    self._t(now),
                    "interrupted before its outcome was recorded",
                    item_id,
                    AttemptOutcome.OPEN.value,
                ),
            )
            tx.run(
                "INSERT INTO outbox_attempts (item_id, number, idempotency_key, worker,"
                " started_at, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    item_id,
                    number,
                    item.idempotency_key,
                    worker,
                    self._t(now),
                    AttemptOutcome.OPEN.value,
                ),
            )
            if item.action is OutboxAction.REPLY:
                row = self._current(tx, item.key)
                if ReviewState(row["state"]) in (ReviewState.APPROVED, ReviewState.EDITED):
                    self._move(
                        tx, item.key, ReviewState.SENDING, actor=f"outbox:{worker}",
                        text=item.text, note=f"attempt {number}", row=row,
                    )
            return self._item(tx, item_id)

    def record_sent(self, item_id: int, worker: str, platform_id: str) -> OutboxItem:
        now = self._now()
        with self._transaction(write=True) as tx:
            item = self._item(tx, item_id)
            if item.status is OutboxStatus.DONE:
                return item
            tx.run(
                "UPDATE outbox SET status = ?, platform_id = ?, done_at = ?, lease_owner = '',"
                " lease_until = NULL, last_outcome = ?, last_error = '' WHERE id = ?",
                (
                    OutboxStatus.DONE.value,
                    platform_id,
                    self._t(now),
                    AttemptOutcome.SENT.value,
                    item_id,
                ),
            )
            self._close_attempt(tx, item, AttemptOutcome.SENT, "", now, latest_unsettled=True)
            if item.action is OutboxAction.REPLY:
                actor = f"outbox:{worker}"
                row = self._current(tx, item.key)
                state = ReviewState(row["state"])
                if state in (ReviewState.APPROVED, ReviewState.EDITED):
                    self._move(
                        tx, item.key, ReviewState.SENDING, actor=actor, text=item.text, row=row
                    )
                self._move(
                    tx, item.key, ReviewState.SENT, actor=actor, text=item.text,
                    note=f"platform id {platform_id}",
                    sets={"reply_platform_id": platform_id},
                )
            return self._item(tx, item_id)

    def record_retry(
        self,
        item_id: int,
        worker: str,
        *,
        error: str,
        retry_at: datetime,
        outcome: AttemptOutcome | None = None,
    ) -> OutboxItem:
        now = self._now()
        with self._transaction(write=True) as tx:
            item = self._held(tx, item_id, worker)
            tx.run(
                "UPDATE outbox SET lease_owner = '', lease_until = NULL, next_attempt_at = ?,"
                " last_error = ?, last_outcome = ? WHERE id = ?",
                (
                    self._t(retry_at.astimezone(UTC)),
                    error,
                    _value(outcome or item.last_outcome),
                    item_id,
                ),
            )
            if outcome is not None:
                self._close_attempt(tx, item, outcome, error, now)
            return self._item(tx, item_id)

    def record_failed(
        self, item_id: int, worker: str, *, error: str, outcome: AttemptOutcome | None = None
    ) -> OutboxItem:
        now = self._now()
        with self._transaction(write=True) as tx:
            item = self._held(tx, item_id, worker)
            tx.run(
                "UPDATE outbox SET status = ?, lease_owner = '', lease_until = NULL,"
                " last_error = ?, last_outcome = ?, done_at = ? WHERE id = ?",
                (
                    OutboxStatus.FAILED.value,
                    error,
                    _value(outcome or item.last_outcome),
                    self._t(now),
                    item_id,
                ),
            )
            if outcome is not None:
                self._close_attempt(tx, item, outcome, error, now)
            if item.action is OutboxAction.REPLY:
                row = self._current(tx, item.key)
                if ReviewState(row["state"]) in OUTBOX_STATES:
                    self._move(
                        tx, item.key, ReviewState.FAILED, actor=f"outbox:{worker}",
                        text=item.text, note=error, row=row,
                    )
            return self._item(tx, item_id)

    def _held(self, tx: Tx, item_id: int, worker: str) -> OutboxItem:
        """The item, if ``worker`` still holds it (pending, leased to it)."""
        item = self._item(tx, item_id)
        if item.status is not OutboxStatus.PENDING or item.lease_owner != worker:
            raise LeaseLost(f"outbox item {item_id} is no longer leased to {worker}")
        return item

    def _close_attempt(
        self,
        tx: Tx,
        item: OutboxItem,
        outcome: AttemptOutcome,
        error: str,
        now: datetime,
        *,
        latest_unsettled: bool = False,
    ) -> None:
        unsettled = [AttemptOutcome.OPEN.value]
        if latest_unsettled:
            unsettled.append(AttemptOutcome.UNKNOWN.value)
        tx.run(
            "UPDATE outbox_attempts SET outcome = ?, finished_at = ?, error = ?"
            f" WHERE item_id = ? AND number = ? AND outcome IN ({_marks(unsettled)})",
            (outcome.value, self._t(now), error, item.id, item.attempts, *unsettled),
        )

    def outbox_item(self, item_id: int) -> OutboxItem:
        with self._transaction(write=False) as tx:
            return self._item(tx, item_id)

    def _item(self, tx: Tx, item_id: int) -> OutboxItem:
        row = tx.one("SELECT * FROM outbox WHERE id = ?", (item_id,))
        if row is None:
            raise StoreError(f"there is no outbox item {item_id}")
        return self._outbox(row)

    def outbox_for(self, key: MentionKey) -> list[OutboxItem]:
        with self._transaction(write=False) as tx:
            rows = tx.all(f"SELECT * FROM outbox WHERE {_KEY_WHERE} ORDER BY id", key)
            return [self._outbox(r) for r in rows]

    def attempts(self, item_id: int) -> list[AttemptRecord]:
        with self._transaction(write=False) as tx:
            rows = tx.all(
                "SELECT * FROM outbox_attempts WHERE item_id = ? ORDER BY number", (item_id,)
            )
        return [
            AttemptRecord(
                item_id=int(r["item_id"]),
                number=int(r["number"]),
                idempotency_key=r["idempotency_key"],
                worker=r["worker"],
                started_at=self._dt(r["started_at"]),
                outcome=AttemptOutcome(r["outcome"]),
                finished_at=self._opt_dt(r["finished_at"]),
                error=r["error"],
            )
            for r in rows
        ]

    # --- Slack cards -----------------------------------------------------------------------
    def set_card(self, key: MentionKey, channel: str, ts: str, *, primary: bool = True) -> None:
        with self._transaction(write=True) as tx:
            self._current(tx, key)
            if primary:  # one review card per mention: an older primary becomes a copy
                tx.run(f"UPDATE slack_cards SET is_primary = 0 WHERE {_KEY_WHERE}", key)
            tx.run(
                "INSERT INTO slack_cards (platform, account, external_id, channel, ts, is_primary)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, account, external_id, channel)"
                " DO UPDATE SET ts = excluded.ts, is_primary = excluded.is_primary",
                (*key, channel, ts, int(primary)),
            )

    def card(self, key: MentionKey) -> SlackCard | None:
        cards = self.cards(key)
        return cards[0] if cards and cards[0].primary else None

    def cards(self, key: MentionKey) -> list[SlackCard]:
        with self._transaction(write=False) as tx:
            rows = tx.all(
                f"SELECT * FROM slack_cards WHERE {_KEY_WHERE} ORDER BY is_primary DESC, channel",
                key,
            )
        return [
            SlackCard(key=key, channel=r["channel"], ts=r["ts"], primary=bool(r["is_primary"]))
            for r in rows
        ]

    def find_by_card(self, channel: str, ts: str) -> MentionKey | None:
        with self._transaction(write=False) as tx:
            row = tx.one(
                "SELECT platform, account, external_id FROM slack_cards"
                " WHERE channel = ? AND ts = ?",
                (channel, ts),
            )
        return None if row is None else (row["platform"], row["account"], row["external_id"])

    # --- small state -----------------------------------------------------------------------
    def get_cursor(self, source: str) -> str | None:
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT value FROM cursors WHERE source = ?", (source,))
        return None if row is None else str(row["value"])

    def set_cursor(self, source: str, value: str) -> None:
        with self._transaction(write=True) as tx:
            tx.run(
                "INSERT INTO cursors (source, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (source) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (source, value, self._t(self._now())),
            )

    def set_cover(self, who: str, label: str, until: datetime) -> Cover:
        if until.tzinfo is None:
            raise InputError("the end of the cover must carry a time zone")
        cover = Cover(who=who, label=label, until=until.astimezone(UTC), set_at=self._now())
        with self._transaction(write=True) as tx:
            tx.run(
                "INSERT INTO cover (id, who, label, until, set_at) VALUES (1, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET who = excluded.who, label = excluded.label,"
                " until = excluded.until, set_at = excluded.set_at",
                (who, label, self._t(cover.until), self._t(cover.set_at)),
            )
        return cover

    def clear_cover(self) -> None:
        with self._transaction(write=True) as tx:
            tx.run("DELETE FROM cover")

    def get_cover(self) -> Cover | None:
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT * FROM cover WHERE id = 1")
        if row is None:
            return None
        cover = Cover(
            who=row["who"],
            label=row["label"],
            until=self._dt(row["until"]),
            set_at=self._dt(row["set_at"]),
        )
        return cover if cover.until > self._now() else None

    def record_once(self, key: str) -> bool:
        with self._transaction(write=True) as tx:
            return (
                tx.run(
                    "INSERT INTO interactions (key, seen_at) VALUES (?, ?)"
                    " ON CONFLICT (key) DO NOTHING",
                    (key, self._t(self._now())),
                )
                == 1
            )

    # --- retention -------------------------------------------------------------------------
    def purge(self, cutoff: datetime) -> PurgeReport:
        if cutoff.tzinfo is None:
            raise InputError("the purge cutoff must carry a time zone")
        cutoff = cutoff.astimezone(UTC)
        active = sorted(s.value for s in OUTBOX_STATES)
        purged_keys = (
            "(platform, account, external_id) IN"
            " (SELECT platform, account, external_id FROM mentions WHERE purged_at IS NOT NULL)"
        )
        with self._transaction(write=True) as tx:
            mentions = tx.run(
                "UPDATE mentions SET text = '', author_handle = '', author_name = '', url = '',"
                " draft_text = CASE WHEN draft_text IS NULL THEN NULL ELSE '' END,"
                " reply_text = '', purged_at = ?"
                f" WHERE created_at < ? AND purged_at IS NULL AND state NOT IN ({_marks(active)})",
                (self._t(self._now()), self._t(cutoff), *active),
            )
            transitions = tx.run(
                "UPDATE transitions SET text = '', note = ''"
                f" WHERE (text <> '' OR note <> '') AND {purged_keys}"
            )
            outbox = tx.run(
                f"UPDATE outbox SET text = '', last_error = '' WHERE status <> ?"
                f" AND (text <> '' OR last_error <> '') AND {purged_keys}",
                (OutboxStatus.PENDING.value,),
            )
            interactions = tx.run(
                "DELETE FROM interactions WHERE seen_at < ?", (self._t(cutoff),)
            )
        return PurgeReport(
            cutoff=cutoff,
            mentions=mentions,
            transitions=transitions,
            outbox=outbox,
            interactions=interactions,
        )

    # --- rows to records -------------------------------------------------------------------
    def _mention(self, row: Row) -> MentionRecord:
        platform = Platform(row["platform"])
        mention = Mention(
            id=row["external_id"],
            platform=platform,
            kind=Kind(row["kind"]),
            author=Author(handle=row["author_handle"], name=row["author_name"]),
            text=row["text"],
            created_at=self._dt(row["created_at"]),
            account=row["account"],
            url=row["url"],
            in_reply_to=row["in_reply_to"],
        )
        triage = None
        if row["intent"] is not None:
            triage = Triage(
                intent=Intent(row["intent"]),
                confidence=float(row["confidence"]),
                flags=frozenset(Flag(f) for f in str(row["flags"]).split(",") if f),
            )
        draft = None
        if row["draft_text"] is not None:
            draft = Draft(text=row["draft_text"], template=row["draft_template"] or "",
                          platform=platform)
        return MentionRecord(
            mention=mention,
            state=ReviewState(row["state"]),
            triage=triage,
            draft=draft,
            received_at=self._dt(row["received_at"]),
            updated_at=self._dt(row["updated_at"]),
            reply_text=row["reply_text"],
            reply_platform_id=row["reply_platform_id"],
            decided_by=row["decided_by"],
            decided_at=self._opt_dt(row["decided_at"]),
            moderation=ModerationAction(row["moderation"]) if row["moderation"] else None,
            purged=row["purged_at"] is not None,
        )

    def _transition(self, row: Row) -> TransitionRecord:
        return TransitionRecord(
            id=int(row["id"]),
            key=(row["platform"], row["account"], row["external_id"]),
            from_state=ReviewState(row["from_state"]) if row["from_state"] else None,
            to_state=ReviewState(row["to_state"]),
            actor=row["actor"],
            at=self._dt(row["at"]),
            text=row["text"],
            note=row["note"],
        )

    def _outbox(self, row: Row) -> OutboxItem:
        return OutboxItem(
            id=int(row["id"]),
            key=(row["platform"], row["account"], row["external_id"]),
            action=OutboxAction(row["action"]),
            text=row["text"],
            idempotency_key=row["idempotency_key"],
            status=OutboxStatus(row["status"]),
            attempts=int(row["attempts"]),
            next_attempt_at=self._dt(row["next_attempt_at"]),
            created_at=self._dt(row["created_at"]),
            lease_owner=row["lease_owner"],
            lease_until=self._opt_dt(row["lease_until"]),
            platform_id=row["platform_id"],
            last_error=row["last_error"],
            last_outcome=AttemptOutcome(row["last_outcome"]) if row["last_outcome"] else None,
            done_at=self._opt_dt(row["done_at"]),
        )


def _key_order(keys: Sequence[MentionKey]) -> list[int]:
    """Positions of ``keys`` in key order (ties keep their order)."""
    return sorted(range(len(keys)), key=lambda i: keys[i])


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _value(outcome: AttemptOutcome | None) -> str | None:
    return None if outcome is None else outcome.value

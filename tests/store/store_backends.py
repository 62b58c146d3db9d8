"""Where the store tests keep their data: a SQLite file, or a fresh PostgreSQL schema.

Shared by the pytest fixtures and by the worker scripts the tests start as subprocesses
(which get ``Backend.argv()`` on their command line and call ``open_from_argv``).
"""

from __future__ import annotations

import functools
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bot.domain import Author, Draft, Flag, Intent, Kind, Mention, Platform, Triage
from bot.store.postgres import PostgresStore
from bot.store.records import Clock, utc_now
from bot.store.sql import SqlStore
from bot.store.sqlite import SqliteStore

PG_URL = os.environ.get(
    "SOCIALBOT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@functools.cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used for the tests, or None if it can."""
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL is not reachable at 127.0.0.1:5432 ({first_line})"
    return None


@dataclass
class Backend:
    kind: str  # "sqlite" | "postgres"
    target: str  # the SQLite file, or the PostgreSQL URL
    schema: str = ""  # PostgreSQL only

    def open(self, clock: Clock = utc_now) -> SqlStore:
        if self.kind == "sqlite":
            return SqliteStore(self.target, clock=clock)
        return PostgresStore(self.target, schema=self.schema, clock=clock)

    def argv(self) -> list[str]:
        return [self.kind, self.target, self.schema or "-"]

    @classmethod
    def sqlite(cls, directory: Path) -> Backend:
        return cls("sqlite", str(directory / "socialbot.sqlite3"))

    @classmethod
    def postgres(cls) -> Backend:
        backend = cls("postgres", PG_URL, f"sbtest_{uuid.uuid4().hex[:12]}")
        return backend

    def drop(self) -> None:
        if self.kind == "postgres":
            with psycopg.connect(self.target, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def open_from_argv(argv: list[str], clock: Clock = utc_now) -> SqlStore:
    kind, target, schema = argv[:3]
    return Backend(kind, target, "" if schema == "-" else schema).open(clock)


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def make_mention(
    external_id: str = "1001",
    *,
    platform: Platform = Platform.TWITTER,
    text: str = "What time do you open today? Call me on 07700 900123",
    created_at: datetime | None = None,
    account: str = "westkentha",
) -> Mention:
    return Mention(
        id=external_id,
        platform=platform,
        kind=Kind.MENTION,
        author=Author(handle="@jo_resident", name="Jo Resident"),
        text=text,
        created_at=created_at or datetime(2025, 3, 3, 9, 30, tzinfo=UTC),
        account=account,
        url=f"https://x.com/jo_resident/status/{external_id}",
    )


HOURS = Triage(Intent.OPENING_HOURS, 0.93, frozenset({Flag.PERSONAL_DATA}))
HOURS_DRAFT = Draft("We're open 9am to 5pm, Monday to Friday.", "opening_hours", Platform.TWITTER)


def queued(store: SqlStore, mention: Mention, triage: Triage = HOURS) -> Mention:
    """Ingest, triage (with a draft) and queue a mention for review."""
    store.ingest(mention)
    draft = Draft(HOURS_DRAFT.text, HOURS_DRAFT.template, mention.platform)
    store.record_triage(mention.key, triage, draft)
    store.queue_for_review(mention.key)
    return mention

"""The embedded store: one SQLite file in WAL mode (or memory, for fast tests).

Each thread gets its own connection (async callers use ``asyncio.to_thread``); writes take
SQLite's write lock at BEGIN IMMEDIATE, so writers queue instead of failing, and readers never
wait under WAL. ``synchronous=FULL``: a committed mention survives a crash or power cut.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.errors import StoreError
from bot.store.migrations import Migration
from bot.store.migrations.sqlite import MIGRATIONS
from bot.store.records import Clock, utc_now
from bot.store.sql import Row, SqlStore, Tx

MEMORY = ":memory:"
BUSY_TIMEOUT_SECONDS = 30.0


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


class _SqliteTx(Tx):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self._execute(sql, params).fetchall())

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._execute(sql, params).rowcount

    def _execute(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        try:
            return self._connection.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise StoreError(f"database error: {exc}") from exc


class SqliteStore(SqlStore):
    def __init__(self, path: str | Path, *, clock: Clock = utc_now) -> None:
        super().__init__(clock)
        self.path = str(path)
        self._memory = self.path == MEMORY
        self._local = threading.local()
        self._lock = threading.RLock()  # guards _connections, and the one memory connection
        self._connections: list[sqlite3.Connection] = []
        self._shared: sqlite3.Connection | None = None
        self._closed = False
        self.migrate()

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # close() may run on another thread
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        connection.row_factory = _dict_row
        if not self._memory:
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()
            if str(mode["journal_mode"]).lower() != "wal":
                raise StoreError(f"{self.path}: SQLite refused WAL mode ({mode})")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        with self._lock:
            self._connections.append(connection)
        return connection

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("the store is closed")
        if self._memory:
            with self._lock:
                if self._shared is None:
                    self._shared = self._connect()
                return self._shared
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        connection = self._connection()
        # The memory store shares one connection between threads: one transaction at a time.
        guard: AbstractContextManager[Any] = self._lock if self._memory else nullcontext()
        with guard:
            try:
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise StoreError(f"the database {self.path} is unavailable: {exc}") from exc
            try:
                yield _SqliteTx(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            else:
                try:
                    connection.execute("COMMIT")
                except sqlite3.Error as exc:
                    connection.execute("ROLLBACK")
                    raise StoreError(f"could not save to {self.path}: {exc}") from exc

    def _migrations(self) -> tuple[Migration, ...]:
        return MIGRATIONS

    def _t(self, value: datetime) -> str:
        # Fixed width, always with microseconds, so that text order is time order.
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()
            self._shared = None

"""The shared store: PostgreSQL, for several replicas working one queue.

Each thread gets its own connection (async callers use ``asyncio.to_thread``); a connection
that broke (server restart) is replaced on next use. Transactions are READ COMMITTED: the
compare-and-set UPDATEs re-check the state after waiting for a concurrent writer, and outbox
claims use ``SELECT ... FOR UPDATE SKIP LOCKED`` so two workers never take the same item.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from bot.errors import ConfigError, StoreError
from bot.store.migrations import Migration
from bot.store.migrations.postgres import MIGRATIONS
from bot.store.records import Clock, utc_now
from bot.store.sql import Row, SqlStore, Tx

CONNECT_TIMEOUT_SECONDS = 10
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Any fixed number: the advisory lock that serialises migrations between replicas.
_MIGRATION_LOCK_ID = 0x50C1A1B07


def _driver_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class _PostgresTx(Tx):
    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._execute(sql, params)
        return self._cursor.fetchall() if self._cursor.description else []

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._execute(sql, params)
        return self._cursor.rowcount

    def _execute(self, sql: str, params: Sequence[Any]) -> None:
        try:
            self._cursor.execute(_driver_sql(sql), tuple(params))
        except psycopg.Error as exc:
            raise StoreError(f"database error: {exc}") from exc


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(SqlStore):
    claim_lock_clause = " FOR UPDATE SKIP LOCKED"
    migration_lock_sql = f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})"

    def __init__(self, url: str, *, schema: str | None = None, clock: Clock = utc_now) -> None:
        """``schema``: keep the tables in this schema (created if missing) instead of the
        connection's default; the tests use a fresh one per run."""
        super().__init__(clock)
        if schema is not None and not _SCHEMA_NAME.match(schema):
            raise ConfigError("schema", f"'{schema}' is not a plain lower-case identifier")
        self.url = url
        self.schema = schema
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[psycopg.Connection[Row]] = []
        self._closed = False
        if schema is not None:
            with self._transaction(write=True) as tx:
                tx.run(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        self.migrate()

    def _connect(self) -> psycopg.Connection[Row]:
        options = {} if self.schema is None else {"options": f"-c search_path={self.schema}"}
        try:
            connection = psycopg.connect(
                self.url,
                autocommit=True,  # transactions are opened explicitly, one per store call
                row_factory=dict_row,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                **options,  # type: ignore[arg-type]
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {redact_url(self.url)}: {exc}"
            ) from exc
        with self._lock:
            self._connections.append(connection)
        return connection

    def _connection(self) -> psycopg.Connection[Row]:
        if self._closed:
            raise StoreError("the store is closed")
        connection: psycopg.Connection[Row] | None = getattr(self._local, "connection", None)
        if connection is None or connection.closed or connection.broken:
            connection = self._connect()
            self._local.connection = connection
        return connection

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        connection = self._connection()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                if not write:
                    cursor.execute("SET TRANSACTION READ ONLY")
                yield _PostgresTx(cursor)
        except psycopg.Error as exc:  # raised at COMMIT, or by a broken connection
            raise StoreError(f"database error: {exc}") from exc

    def _migrations(self) -> tuple[Migration, ...]:
        return MIGRATIONS

    def _t(self, value: datetime) -> datetime:
        return value

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()

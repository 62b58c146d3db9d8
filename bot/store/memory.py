"""The in-memory twin for fast unit tests: the SQLite store with no file.

It runs the very same SQL as the file store, so what passes here behaves the same on disk.
"""

from __future__ import annotations

from bot.store.records import Clock, utc_now
from bot.store.sqlite import MEMORY, SqliteStore


def memory_store(*, clock: Clock = utc_now) -> SqliteStore:
    return SqliteStore(MEMORY, clock=clock)

"""Fixtures for the store suite: every ``store`` test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # store_backends, for the worker scripts too

from store_backends import Backend, FakeClock, postgres_unavailable

from bot.store.sql import SqlStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend.sqlite(tmp_path)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    backend = Backend.postgres()
    try:
        yield backend
    finally:
        backend.drop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(backend: Backend, clock: FakeClock) -> Iterator[SqlStore]:
    opened = backend.open(clock)
    try:
        yield opened
    finally:
        opened.close()

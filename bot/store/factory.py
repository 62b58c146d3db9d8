"""Pick the store from the settings and the environment."""

from __future__ import annotations

import os

from bot.config import Settings
from bot.errors import ConfigError
from bot.store.port import Store
from bot.store.records import Clock, utc_now

DATABASE_URL_ENV = "SOCIALBOT_DATABASE_URL"
SQLITE_FILENAME = "socialbot.sqlite3"


def open_store(settings: Settings, *, clock: Clock = utc_now) -> Store:
    """PostgreSQL when $SOCIALBOT_DATABASE_URL is set, else SQLite under the data directory.

    Migrations run on open.
    """
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise ConfigError(DATABASE_URL_ENV, "must start with postgresql://")
        from bot.store.postgres import PostgresStore

        return PostgresStore(url, clock=clock)
    from bot.store.sqlite import SqliteStore

    data_dir = settings.store.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("store.data_dir", f"cannot create {data_dir}: {exc.strerror}") from exc
    return SqliteStore(data_dir / SQLITE_FILENAME, clock=clock)

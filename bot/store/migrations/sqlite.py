"""SQLite schema steps. Times are UTC ISO-8601 text of fixed width, so they sort as text."""

from __future__ import annotations

from bot.store.migrations import Migration

_KEY = "platform TEXT NOT NULL, account TEXT NOT NULL, external_id TEXT NOT NULL"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "mentions, transitions, outbox, slack cards, cursors, cover, interactions",
        (
            f"""CREATE TABLE mentions (
                {_KEY},
                kind TEXT NOT NULL,
                author_handle TEXT NOT NULL,
                author_name TEXT NOT NULL,
                text TEXT NOT NULL,
                url TEXT NOT NULL,
                in_reply_to TEXT NOT NULL,
                created_at TEXT NOT NULL,
                received_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                state TEXT NOT NULL,
                intent TEXT,
                confidence REAL,
                flags TEXT NOT NULL DEFAULT '',
                urgent INTEGER NOT NULL DEFAULT 0,
                draft_text TEXT,
                draft_template TEXT,
                reply_text TEXT NOT NULL DEFAULT '',
                reply_platform_id TEXT NOT NULL DEFAULT '',
                decided_by TEXT NOT NULL DEFAULT '',
                decided_at TEXT,
                moderation TEXT,
                purged_at TEXT,
                PRIMARY KEY (platform, account, external_id)
            )""",
            "CREATE INDEX mentions_by_state ON mentions (state, urgent, created_at)",
            "CREATE INDEX mentions_by_created ON mentions (created_at)",
            f"""CREATE TABLE transitions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                {_KEY},
                from_state TEXT,
                to_state TEXT NOT NULL,
                actor TEXT NOT NULL,
                at TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX transitions_by_key ON transitions (platform, account, external_id, id)",
            "CREATE INDEX transitions_by_at ON transitions (at)",
            f"""CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                {_KEY},
                action TEXT NOT NULL,
                text TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                lease_owner TEXT NOT NULL DEFAULT '',
                lease_until TEXT,
                platform_id TEXT NOT NULL DEFAULT '',
                last_error TEXT NOT NULL DEFAULT '',
                last_outcome TEXT,
                done_at TEXT
            )""",
            "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
            "CREATE INDEX outbox_by_key ON outbox (platform, account, external_id)",
            # Belt and braces under the state machine: one live reply per mention.
            """CREATE UNIQUE INDEX outbox_one_live_reply ON outbox (platform, account, external_id)
               WHERE action = 'reply' AND status <> 'failed'""",
            """CREATE TABLE outbox_attempts (
                item_id INTEGER NOT NULL REFERENCES outbox (id),
                number INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                worker TEXT NOT NULL,
                started_at TEXT NOT NULL,
                outcome TEXT NOT NULL,
                finished_at TEXT,
                error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (item_id, number)
            )""",
            f"""CREATE TABLE slack_cards (
                {_KEY},
                channel TEXT NOT NULL,
                ts TEXT NOT NULL,
                is_primary INTEGER NOT NULL,
                PRIMARY KEY (platform, account, external_id, channel)
            )""",
            "CREATE INDEX slack_cards_by_ts ON slack_cards (channel, ts)",
            """CREATE TABLE cursors (
                source TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE cover (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                who TEXT NOT NULL,
                label TEXT NOT NULL,
                until TEXT NOT NULL,
                set_at TEXT NOT NULL
            )""",
            """CREATE TABLE interactions (
                key TEXT PRIMARY KEY,
                seen_at TEXT NOT NULL
            )""",
            "CREATE INDEX interactions_by_seen ON interactions (seen_at)",
        ),
    ),
)

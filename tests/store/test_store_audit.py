"""Audit export and retention purge: the functions, and the `audit` / `purge` commands."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_backends import Backend, FakeClock, make_mention, queued

from bot.cli.store_commands import audit_command, purge_command
from bot.review.states import ModerationAction
from bot.store.audit import AuditRow, audit_rows, write_csv
from bot.store.records import utc_now
from bot.store.sql import SqlStore


def decided(store: SqlStore, clock: FakeClock) -> None:
    """Three mentions, three decisions, a day apart."""
    a = queued(store, make_mention("a"))
    store.approve_edited(a.key, actor="U_ALICE", text="Hi, we're open 9 to 5.")
    clock.advance(days=1)
    b = queued(store, make_mention("b"))
    store.reject(b.key, actor="U_BOB", reason="answered by phone")
    clock.advance(days=1)
    c = queued(store, make_mention("c"))
    store.moderate(c.key, actor="U_CAROL", action=ModerationAction.HIDE, note="spam link")


def test_audit_rows_cover_every_step_with_who_and_what(store: SqlStore, clock: FakeClock) -> None:
    decided(store, clock)
    rows = list(audit_rows(store))
    assert len(rows) == 3 * 4  # received, triaged, queued, decision
    approval = next(r for r in rows if r.to_state == "edited")
    assert (approval.mention_id, approval.actor, approval.text) == (
        "a", "U_ALICE", "Hi, we're open 9 to 5.",
    )
    assert approval.from_state == "queued_for_review"
    assert approval.intent == "opening_hours" and approval.flags == "personal_data"
    assert approval.at == "2025-03-03T10:00:00+00:00"
    decisions = list(audit_rows(store, decisions_only=True))
    assert [(r.mention_id, r.to_state, r.actor) for r in decisions] == [
        ("a", "edited", "U_ALICE"),
        ("b", "rejected", "U_BOB"),
        ("c", "moderated", "U_CAROL"),
    ]
    since = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    assert {r.mention_id for r in audit_rows(store, since)} == {"b", "c"}


def test_csv_export_reads_back(store: SqlStore, clock: FakeClock) -> None:
    decided(store, clock)
    out = io.StringIO()
    written = write_csv(audit_rows(store), out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert written == len(parsed) == 12
    assert list(parsed[0]) == AuditRow.columns()
    assert parsed[-1]["note"] == "hide" and parsed[-1]["text"] == "spam link"


@pytest.fixture
def cli_env(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """Point open_store at the test's database, as an operator would with the environment."""
    backend.open().close()  # create the schema / file
    if backend.kind == "sqlite":
        monkeypatch.delenv("SOCIALBOT_DATABASE_URL", raising=False)
        monkeypatch.setenv("SOCIALBOT_DATA_DIR", str(Path(backend.target).parent))
    else:
        options = f"options=-c%20search_path%3D{backend.schema}"
        monkeypatch.setenv("SOCIALBOT_DATABASE_URL", f"{backend.target}?{options}")
    monkeypatch.delenv("SOCIALBOT_CONFIG", raising=False)
    return backend


def test_the_audit_command(cli_env: Backend, clock: FakeClock) -> None:
    store = cli_env.open(clock)
    try:
        decided(store, clock)
    finally:
        store.close()
    runner = CliRunner()
    result = runner.invoke(audit_command, ["--csv", "--since", "2025-03-04"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["mention_id"] for r in rows} == {"b", "c"}
    assert any(r["actor"] == "U_BOB" and r["to_state"] == "rejected" for r in rows)
    table = runner.invoke(audit_command, ["--decisions-only"])
    assert table.exit_code == 0, table.output
    assert "U_ALICE" in table.output and "U_CAROL" in table.output
    assert "3 steps" in table.output


def test_the_purge_command_keeps_recent_mentions(cli_env: Backend) -> None:
    store = cli_env.open()
    old = make_mention("old", created_at=datetime(2020, 1, 1, tzinfo=UTC))
    recent = make_mention("recent", created_at=utc_now() - timedelta(days=3))
    try:
        for mention in (old, recent):
            queued(store, mention)
            store.reject(mention.key, actor="U1", reason=f"about {mention.author.name}")
    finally:
        store.close()
    result = CliRunner().invoke(purge_command, [])
    assert result.exit_code == 0, result.output
    assert "Retention is 365 days" in result.output
    assert "Blanked now: 1 mentions" in result.output
    store = cli_env.open()
    try:
        gone, kept = store.get(old.key), store.get(recent.key)
        assert gone is not None and gone.purged and gone.mention.text == ""
        assert store.history(old.key)[-1].text == "" and gone.decided_by == "U1"
        assert kept is not None and not kept.purged and kept.mention.text == recent.text
    finally:
        store.close()


def test_a_bad_database_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALBOT_DATABASE_URL", "mysql://nope")
    result = CliRunner().invoke(purge_command, [])
    assert result.exit_code == 2
    assert "SOCIALBOT_DATABASE_URL" in result.output

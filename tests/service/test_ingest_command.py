"""`socialbot ingest` as people run it: a subprocess, a JSON Lines file, real SQLite in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from serve_process import REPO, base_env

from bot.config import default_config_text
from bot.domain import Flag, Intent
from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.store.factory import SQLITE_FILENAME
from bot.store.sqlite import SqliteStore

pytestmark = pytest.mark.slow

GOOD = {
    "platform": "twitter",
    "kind": "mention",
    "account": "1234567890",
    "author": {"handle": "@jo", "name": "Jo"},
    "created_at": "2026-11-18T11:00:00+00:00",
}


@pytest.fixture
def env(tmp_path: Path, processor: MentionProcessor) -> dict[str, str]:
    config = tmp_path / "socialbot.toml"
    config.write_text(default_config_text(), encoding="utf-8")
    return base_env(tmp_path / "data", config)


def ingest(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ingest", *args], cwd=REPO, env=env, input=stdin,
        capture_output=True, text=True, timeout=300, check=False,
    )


def line(ident: str, text: str, **extra: object) -> str:
    return json.dumps({**GOOD, "id": ident, "text": text, **extra})


def stored(env: dict[str, str]) -> SqliteStore:
    return SqliteStore(Path(env["SOCIALBOT_DATA_DIR"]) / SQLITE_FILENAME)


def test_bad_lines_are_reported_and_skipped_and_duplicates_stored_once(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(
        "\n".join([
            line("a", "I can smell gas in the kitchen"),
            "{broken",
            line("b", "what time do you open on Friday?"),
            line("c", "hi", platform="bebo"),
            "",
            line("a", "I can smell gas in the kitchen"),  # the same mention again
        ]).encode() + b"\n" + b"\xff\xfe not text\n"
        # The last line has no newline at the end, as editors often leave it.
        + line("d", "nice photo", platform="youtube", kind="comment",
               account="UCwestkentexample000000").encode()
    )

    done = ingest(env, str(path))

    assert done.returncode == 1, done.stderr
    assert "line 2: invalid JSON" in done.stderr
    assert "line 4: unknown platform 'bebo'" in done.stderr
    assert "line 7: not UTF-8 text" in done.stderr
    assert "3 line(s) skipped" in done.stderr
    assert "4 mention(s) read from" in done.stdout
    assert "3 new, 1 already stored; 3 queued for review." in done.stdout

    store = stored(env)
    try:
        queued = {r.mention.id: r for r in store.in_state(ReviewState.QUEUED_FOR_REVIEW)}
        assert set(queued) == {"a", "b", "d"}
        assert store.in_state(ReviewState.RECEIVED) == []
        gas = queued["a"]
        assert gas.triage is not None and gas.triage.intent is Intent.EMERGENCY
        assert gas.urgent and gas.draft is not None and "0800 111 999" in gas.draft.text
        youtube = queued["d"]
        assert youtube.triage is not None and youtube.triage.has(Flag.NO_REPLY_PLATFORM)
        assert youtube.draft is None
        assert len(store.history(gas.key)) == 3  # received, triaged, queued: once each
    finally:
        store.close()

    again = ingest(env, str(path))
    assert again.returncode == 1
    assert "0 new, 4 already stored; 0 queued for review." in again.stdout


def test_a_clean_file_from_stdin_exits_zero(env: dict[str, str]) -> None:
    stdin = line("r1", "how do I pay my rent?") + "\n" + line("r2", "thanks for fixing the lift!") + "\n"
    done = ingest(env, "-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert "2 mention(s) read from <stdin>: 2 new, 0 already stored; 2 queued for review." in done.stdout
    store = stored(env)
    try:
        intents = {r.mention.id: r.triage.intent for r in store.review_queue() if r.triage}
        assert intents == {"r1": Intent.RENT_PAYMENT, "r2": Intent.FEEDBACK_THANKS}
    finally:
        store.close()


def test_a_missing_file_is_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    done = ingest(env, str(tmp_path / "nope.jsonl"))
    assert done.returncode == 2
    assert "nope.jsonl" in done.stderr and "Traceback" not in done.stderr


def test_ingest_help_has_an_example() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "ingest", "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "Example:" in done.stdout and "socialbot ingest" in done.stdout

"""The command line, run as a user runs it: a real subprocess on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import run_cli

from bot.config import default_config_text
from bot.triage.pipeline import Triager

GOOD = {
    "platform": "twitter",
    "kind": "mention",
    "author": {"handle": "@jo", "name": "Jo"},
    "created_at": "2026-11-18T11:00:00+00:00",
}


@pytest.fixture(scope="module", autouse=True)
def model_is_built(triager: Triager) -> None:
    """The session's triager fixture has built the model into the shared test cache."""


def test_triage_writes_a_line_per_valid_mention_in_order(tmp_path: Path) -> None:
    lines = [
        json.dumps({**GOOD, "id": "a", "text": "I can smell gas in the kitchen"}),
        "{broken",
        json.dumps({**GOOD, "id": "b", "platform": "bebo", "text": "hi"}),
        json.dumps({**GOOD, "id": "c", "text": "what time do you open on Friday?"}),
        json.dumps({**GOOD, "id": "d", "text": "x", "created_at": "2026-11-18T11:00:00"}),
        json.dumps({**GOOD, "id": "e", "platform": "youtube", "kind": "comment", "text": "nice"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("triage", str(path))
    assert done.returncode == 1, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "c", "e"]
    assert set(out[0]) == {"id", "intent", "confidence", "flags", "draft", "template"}
    assert out[0]["intent"] == "emergency" and "urgent" in out[0]["flags"]
    assert "0800 111 999" in out[0]["draft"]
    assert out[1]["intent"] == "opening_hours" and out[1]["template"].startswith("opening_hours")
    assert out[2]["draft"] is None and out[2]["template"] is None
    assert "no_reply_platform" in out[2]["flags"]
    assert "line 2: invalid JSON" in done.stderr
    assert "line 3: unknown platform 'bebo'" in done.stderr
    assert "line 5: 'created_at' has no UTC offset" in done.stderr


def test_triage_reads_stdin_and_exits_zero_when_all_lines_are_good() -> None:
    stdin = json.dumps({**GOOD, "id": "z", "text": "thanks so much for fixing the lift!"}) + "\n"
    done = run_cli("triage", "-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["intent"] == "feedback_thanks"


def test_triage_table() -> None:
    stdin = json.dumps({**GOOD, "id": "t1", "text": "how do I pay my rent?"}) + "\n"
    done = run_cli("triage", "--table", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert "rent_payment" in done.stdout and "t1" in done.stdout


def test_demo_shows_every_sample() -> None:
    done = run_cli("demo")
    assert done.returncode == 0, done.stderr
    assert "mentions" in done.stdout and "drafts for approval" in done.stdout
    assert "URGENT" in done.stdout


def test_eval_report_and_json(tmp_path: Path) -> None:
    rows = [
        {**GOOD, "id": "1", "text": "I can smell gas", "expect": {"intent": "emergency", "flags": ["urgent"]}},
        {**GOOD, "id": "2", "text": "when are you open?", "expect": {"intent": "opening_hours", "flags": []}},
        {**GOOD, "id": "3", "text": "lovely weather", "expect": {"intent": "other", "flags": []}},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    done = run_cli("eval", str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["n"] == 3
    assert report["flags"]["urgent"]["recall"] == 1.0
    assert set(report) >= {"macro_f1", "intents", "confusion", "worst"}
    text = run_cli("eval", str(path))
    assert "macro-F1" in text.stdout and "precision" in text.stdout


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "socialbot.toml"
    example = default_config_text()
    config.write_text(example.replace('short_name = "West Kent"\n', ""), encoding="utf-8")
    done = run_cli("triage", "--config", str(config), stdin="")
    assert done.returncode == 2
    assert "config key 'organisation.short_name': missing" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_command_has_help_with_an_example() -> None:
    for command in ("triage", "demo", "train", "eval"):
        done = run_cli(command, "--help")
        assert done.returncode == 0 and "Example" in done.stdout, command

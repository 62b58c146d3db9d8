"""Domain objects for tests, with sensible defaults (imported as `builders`)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from bot.domain import Author, Intent, Kind, Mention, Platform
from bot.triage.corpus import Example, load_corpus

# A Wednesday afternoon in November (GMT): inside office hours.
WORKING_TIME = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


def mention(
    text: str = "hello",
    platform: Platform = Platform.TWITTER,
    kind: Kind = Kind.MENTION,
    created_at: datetime = WORKING_TIME,
    handle: str = "@resident_jo",
    name: str = "Jo Bloggs",
) -> Mention:
    return Mention(
        id="m1",
        platform=platform,
        kind=kind,
        author=Author(handle=handle, name=name),
        text=text,
        created_at=created_at,
        account="westkentha",
    )


def scores(**probabilities: float) -> dict[Intent, float]:
    """A model's probabilities: those named (``emergency=0.4``), every other intent 0."""
    table = dict.fromkeys(Intent, 0.0)
    table.update({Intent(name): p for name, p in probabilities.items()})
    return table


def few_per_intent(n: int) -> list[Example]:
    """The first ``n`` corpus lines of every intent: a corpus that trains in seconds."""
    counts: dict[Intent, int] = {}
    picked = []
    for example in load_corpus():
        if counts.get(example.intent, 0) < n:
            counts[example.intent] = counts.get(example.intent, 0) + 1
            picked.append(example)
    return picked


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``socialbot <args>`` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

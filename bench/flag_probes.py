"""Safety and moderation flags on probe sets that no rule was written from.

Each ``bench/data/<flag>_probe.jsonl`` holds mentions a helper wrote from the contract
alone, never having seen the corpus or the rules: ``{"text": ..., "<flag>": true|false}``,
the flag's cases and hard negatives that share their words. The even lines (half a) may
be read while rules are written; the odd lines (half b) never are, so only half b
measures how the rules generalise. Keep it that way: read its totals, not its mentions.

    python bench/flag_probes.py
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.domain import Author, Flag, Kind, Mention, Platform
from bot.triage.pipeline import Triager

DATA = Path(__file__).resolve().parent / "data"
# A Wednesday afternoon: inside office hours.
WHEN = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


def main() -> None:
    triager = Triager.load(load_settings())
    for path in sorted(DATA.glob("*_probe.jsonl")):
        flag = Flag(path.name.removesuffix("_probe.jsonl"))
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        mentions = [
            Mention(str(i), Platform.TWITTER, Kind.MENTION, Author("@someone"), row["text"], WHEN)
            for i, row in enumerate(rows)
        ]
        results = triager.triage_batch(mentions)
        for half, name in ((0, "a, may be read"), (1, "b, never read")):
            picked = [
                (row[flag.value], flag in result.flags)
                for i, (row, result) in enumerate(zip(rows, results, strict=True))
                if i % 2 == half
            ]
            hits = [got for expected, got in picked if expected]
            alarms = [got for expected, got in picked if not expected]
            print(
                f"{flag.value:<10} half {name}: recall {sum(hits)}/{len(hits)}, "
                f"false alarms {sum(alarms)}/{len(alarms)}"
            )


if __name__ == "__main__":
    main()

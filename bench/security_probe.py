"""The `security` flag on a probe set no rule was written from.

``bench/data/security_probe.jsonl`` holds 100 mentions, written by a helper from the
contract alone, who never saw the rules: 45 threats to hack us, get into our systems or
take them down, and 55 hard negatives (a resident's own hacked account, a portal that will
not log in, a website that is down, a life hack). The even lines (half a) were read while
the SEC_* rules of ``intents/rules/security.jsonl`` were written; the odd lines (half b)
never were, so only half b measures how the rules generalise. Keep it that way: read
its totals, not its mentions.

    python bench/security_probe.py
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.domain import Author, Flag, Kind, Mention, Platform
from bot.triage.pipeline import Triager

PROBE = Path(__file__).resolve().parent / "data" / "security_probe.jsonl"
WHEN = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


def main() -> None:
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]
    mentions = [
        Mention(str(i), Platform.TWITTER, Kind.MENTION, Author("@someone"), row["text"], WHEN)
        for i, row in enumerate(rows)
    ]
    results = Triager.load(load_settings()).triage_batch(mentions)
    for half, name in ((0, "a (read while writing the rules)"), (1, "b (never read)")):
        picked = [
            (row, result)
            for i, (row, result) in enumerate(zip(rows, results, strict=True))
            if i % 2 == half
        ]
        threats = [Flag.SECURITY in r.flags for row, r in picked if row["security"]]
        others = [Flag.SECURITY in r.flags for row, r in picked if not row["security"]]
        print(
            f"half {name}: recall {sum(threats)}/{len(threats)}, "
            f"false alarms {sum(others)}/{len(others)}"
        )


if __name__ == "__main__":
    main()

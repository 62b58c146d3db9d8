"""The audit trail: every step of every mention (who, when, what), as rows for export."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from typing import TextIO

from bot.review.states import DECISIONS, ReviewState
from bot.store.port import Store
from bot.store.records import MentionKey, MentionRecord

#: Steps that record what a person decided, or what came of it on the platform.
DECISION_STEPS = DECISIONS | {ReviewState.SENT, ReviewState.FAILED}

_CACHE_SIZE = 4096  # mentions remembered while exporting; their steps mostly come together


@dataclass(frozen=True)
class AuditRow:
    at: str  # ISO 8601, UTC
    platform: str
    account: str
    mention_id: str
    from_state: str
    to_state: str
    actor: str
    text: str
    note: str
    intent: str
    flags: str  # space-separated

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def audit_rows(
    store: Store, since: datetime | None = None, *, decisions_only: bool = False
) -> Iterator[AuditRow]:
    """Every transition at or after ``since`` (all when None), oldest first."""
    mentions: dict[MentionKey, MentionRecord | None] = {}
    for step in store.transitions(since):
        if decisions_only and step.to_state not in DECISION_STEPS:
            continue
        if step.key not in mentions:
            if len(mentions) >= _CACHE_SIZE:
                mentions.clear()
            mentions[step.key] = store.get(step.key)
        record = mentions[step.key]
        triage = record.triage if record else None
        yield AuditRow(
            at=step.at.isoformat(),
            platform=step.key[0],
            account=step.key[1],
            mention_id=step.key[2],
            from_state=step.from_state.value if step.from_state else "",
            to_state=step.to_state.value,
            actor=step.actor,
            text=step.text,
            note=step.note,
            intent=triage.intent.value if triage else "",
            flags=" ".join(triage.sorted_flags) if triage else "",
        )


def write_csv(rows: Iterable[AuditRow], stream: TextIO) -> int:
    """Write a header and the rows; returns how many rows were written."""
    writer = csv.writer(stream)
    writer.writerow(AuditRow.columns())
    count = 0
    for row in rows:
        writer.writerow(astuple(row))
        count += 1
    return count

"""The main job: a mention goes in, its triage and a suggested reply come out.

Every entry point (CLI, the service, benchmarks) goes through ``MentionProcessor`` so that
triage and drafting behave the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from bot.config import Settings
from bot.domain import Mention, TriageResult
from bot.reply.drafter import ReplyDrafter
from bot.triage.pipeline import Triager
from bot.triage.training import Progress


class MentionProcessor:
    def __init__(self, triager: Triager, drafter: ReplyDrafter) -> None:
        self.triager = triager
        self.drafter = drafter

    @classmethod
    def load(cls, settings: Settings, progress: Progress | None = None) -> MentionProcessor:
        return cls(Triager.load(settings, progress), ReplyDrafter(settings))

    def process(self, mention: Mention, now: datetime | None = None) -> TriageResult:
        triage = self.triager.triage(mention)
        return TriageResult(mention, triage, self.drafter.draft(mention, triage, now))

    def process_all(
        self, mentions: Iterable[Mention], now: datetime | None = None
    ) -> Iterator[TriageResult]:
        for mention, triage in self.triager.triage_all(mentions):
            yield TriageResult(mention, triage, self.drafter.draft(mention, triage, now))

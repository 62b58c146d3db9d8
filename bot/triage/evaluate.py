"""Scoring triage against labelled mentions, in the style of ``rasa test nlu``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain import Flag, Intent

#: The flags whose misses cost most; their false-alarm rate is reported too.
SAFETY_FLAGS = (Flag.COMMS, Flag.URGENT)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expected: Intent
    predicted: Intent
    confidence: float
    expected_flags: frozenset[Flag] = frozenset()
    predicted_flags: frozenset[Flag] = frozenset()


@dataclass(frozen=True)
class IntentScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class FlagScore:
    recall: float
    false_alarm_rate: float
    support: int
    false_alarms: int


@dataclass
class Report:
    cases: Sequence[Case]
    per_intent: dict[Intent, IntentScore] = field(default_factory=dict)
    flags: dict[Flag, FlagScore] = field(default_factory=dict)
    confusion: Counter[tuple[Intent, Intent]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        if not self.cases:
            return 0.0
        return sum(c.expected is c.predicted for c in self.cases) / len(self.cases)

    @property
    def macro_f1(self) -> float:
        scored = [s.f1 for s in self.per_intent.values() if s.support > 0]
        return sum(scored) / len(scored) if scored else 0.0

    def worst(self, limit: int = 15) -> list[Case]:
        wrong = [c for c in self.cases if c.expected is not c.predicted]
        return sorted(wrong, key=lambda c: c.confidence, reverse=True)[:limit]

    def to_json(self) -> dict[str, object]:
        return {
            "n": len(self.cases),
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "intents": {
                i.value: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for i, s in self.per_intent.items()
            },
            "flags": {
                f.value: {
                    "recall": round(s.recall, 4),
                    "false_alarm_rate": round(s.false_alarm_rate, 4),
                    "support": s.support,
                    "false_alarms": s.false_alarms,
                }
                for f, s in self.flags.items()
            },
            "confusion": [
                {"expected": e.value, "predicted": p.value, "count": n}
                for (e, p), n in sorted(self.confusion.items(), key=lambda kv: -kv[1])
            ],
            "worst": [
                {
                    "id": c.id,
                    "text": c.text,
                    "expected": c.expected.value,
                    "predicted": c.predicted.value,
                    "confidence": c.confidence,
                }
                for c in self.worst()
            ],
        }


def score(cases: Sequence[Case], with_flags: bool = True) -> Report:
    report = Report(cases)
    for case in cases:
        report.confusion[(case.expected, case.predicted)] += 1
    for intent in Intent:
        tp = report.confusion[(intent, intent)]
        predicted = sum(1 for c in cases if c.predicted is intent)
        support = sum(1 for c in cases if c.expected is intent)
        if predicted == 0 and support == 0:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report.per_intent[intent] = IntentScore(precision, recall, f1, support)
    if with_flags:
        for flag in Flag:
            positives = [c for c in cases if flag in c.expected_flags]
            negatives = [c for c in cases if flag not in c.expected_flags]
            hits = sum(1 for c in positives if flag in c.predicted_flags)
            alarms = sum(1 for c in negatives if flag in c.predicted_flags)
            if not positives and not alarms:
                continue
            report.flags[flag] = FlagScore(
                recall=hits / len(positives) if positives else 1.0,
                false_alarm_rate=alarms / len(negatives) if negatives else 0.0,
                support=len(positives),
                false_alarms=alarms,
            )
    # Only real confusions are interesting in the table.
    for key in [k for k in report.confusion if k[0] is k[1]]:
        del report.confusion[key]
    return report

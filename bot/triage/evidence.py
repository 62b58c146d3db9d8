"""Domain evidence: does a mention use any word that really belongs to the intent?

A bag-of-words model spreads probability over function words ("what time…", "how do
I…"), so "what time is it in Tokyo" can look like `opening_hours`. Evidence asks a
separate question: of the words in the mention, how strongly does the best one point to
the predicted intent in the team's corpus? With no such word the mention is out of scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from bot.domain import Intent

#: A word seen fewer times than this says too little to count as evidence.
MIN_COUNT = 1
#: Smoothing towards "no preference" for rare words.
SMOOTHING = 1.0


class Evidence:
    def __init__(self, table: Mapping[str, Mapping[str, float]]) -> None:
        self._table = {
            word: {Intent(name): p for name, p in dist.items()} for word, dist in table.items()
        }

    @classmethod
    def from_examples(cls, docs: Iterable[tuple[Sequence[str], Intent]]) -> Evidence:
        counts: dict[str, Counter[Intent]] = defaultdict(Counter)
        for words, intent in docs:
            for word in set(words):
                if not word.startswith("x") or word.isalpha():
                    counts[word][intent] += 1
        table: dict[str, dict[str, float]] = {}
        share = 1.0 / len(Intent)
        for word, by_intent in counts.items():
            total = sum(by_intent.values())
            if total < MIN_COUNT:
                continue
            dist = {
                intent.value: round((n + SMOOTHING * share) / (total + SMOOTHING), 4)
                for intent, n in by_intent.items()
            }
            table[word] = {k: v for k, v in dist.items() if v >= 0.2}
        return cls(table)

    def to_json(self) -> dict[str, dict[str, float]]:
        return {w: {i.value: p for i, p in d.items()} for w, d in self._table.items()}

    def strength(self, words: Iterable[str], intent: Intent) -> float:
        """The best single word's share for ``intent`` (0 when no known word points there)."""
        best = 0.0
        for word in words:
            dist = self._table.get(word)
            if dist:
                best = max(best, dist.get(intent, 0.0))
        return best

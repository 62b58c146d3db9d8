"""The rule book: spaCy Matcher / PhraseMatcher patterns loaded from ``intents/rules/``.

Each line of a rules file is ``{"label": ..., "pattern": [token specs]}`` or
``{"label": ..., "phrase": "..."}``; ``"feature": false`` marks a context label (such as
"a room of the home") that only combination rules use and the model never sees.
Patterns run on the normalised words of a mention, except those in ``RAW_RULE_FILES``,
which run on the raw text (they need the digits and ``@`` that normalising folds away).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from bot.errors import ModelError
from bot.resources import intents_dir
from bot.triage.normalise import SPECIAL_TOKENS

RAW_RULE_FILES = ("personal_data.jsonl", "spam_raw.jsonl")


@dataclass(frozen=True)
class RawHit:
    label: str
    text: str


class RuleBook:
    def __init__(self, vocab: Vocab, normalise_words: Callable[[str], list[str]]) -> None:
        self._vocab = vocab
        self._matcher = Matcher(vocab)
        self._phrases = PhraseMatcher(vocab, attr="ORTH")
        self._raw = Matcher(vocab)
        self.context_labels: set[str] = set()
        folder = intents_dir().joinpath("rules")
        names = sorted(
            entry.name for entry in folder.iterdir() if entry.name.endswith(".jsonl")
        )
        if not names:
            raise ModelError("no rule files found in intents/rules/")
        for name in names:
            raw = name in RAW_RULE_FILES
            for number, line in enumerate(
                folder.joinpath(name).read_text(encoding="utf-8").splitlines(), start=1
            ):
                if not line.strip():
                    continue
                try:
                    rule = json.loads(line)
                    label = rule["label"]
                    if rule.get("feature") is False:
                        self.context_labels.add(label)
                    if "phrase" in rule:
                        if raw:
                            raise ValueError("phrases are not allowed in raw-text rules")
                        words = normalise_words(rule["phrase"])
                        self._phrases.add(label, [Doc(vocab, words=words)])
                    else:
                        (self._raw if raw else self._matcher).add(label, [rule["pattern"]])
                except (KeyError, ValueError, TypeError) as exc:
                    raise ModelError(f"intents/rules/{name} line {number}: {exc}") from exc

        self._add_intent_terms(normalise_words)

    def _add_intent_terms(self, normalise_words: Callable[[str], list[str]]) -> None:
        """Each intent's lexicon (``intents/lexicons/terms/<intent>.txt``) is one phrase
        label, ``LEX_<INTENT>``, so a word never seen in the corpus still points somewhere."""
        folder = intents_dir().joinpath("lexicons", "terms")
        if not folder.is_dir():
            return
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".txt"):
                continue
            label = "LEX_" + entry.name.removesuffix(".txt").upper()
            docs = [
                Doc(self._vocab, words=words)
                for line in entry.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")
                for words in [normalise_words(line)]
                # "999" or "101" alone would become the number token and match any number.
                if words and not all(w in SPECIAL_TOKENS for w in words)
            ]
            self._phrases.add(label, docs)

    def labels(self, doc: Doc) -> frozenset[str]:
        """Labels of every rule that matches the normalised words of ``doc``."""
        strings = self._vocab.strings
        found = {strings[match_id] for match_id, _, _ in self._matcher(doc)}
        found.update(strings[match_id] for match_id, _, _ in self._phrases(doc))
        return frozenset(found)

    def raw_hits(self, doc: Doc) -> Sequence[RawHit]:
        strings = self._vocab.strings
        return [
            RawHit(strings[match_id], doc[start:end].text)
            for match_id, start, end in self._raw(doc)
        ]

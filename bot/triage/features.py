"""What the rules and the model see of a mention's text.

The normaliser gives the words; the rule book finds labels in them; the model reads the
words plus one feature token per rule label, so rules both decide and teach.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.triage.normalise import Normaliser
from bot.triage.rules import RawHit, RuleBook

FEATURE_PREFIX = "xr_"
#: What the classifiers read for a mention with no words at all.
EMPTY_TOKEN = "xempty"

#: Three digits in a row (phone, account, shortcode), an email address, a postcode, a house
#: number before a capitalised street name, or a per-minute/per-message price.
_MAY_HOLD_DETAILS = re.compile(
    r"\d{3}|\S@\S|\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b"
    r"|\b\d{1,4}[A-Za-z]?,?\s+[A-Z][a-z]|\b\d{1,3}p\b"
)


@dataclass(frozen=True)
class Analysis:
    #: The mention's own text, as it came (the sentence-embedding classifier reads it).
    text: str
    words: list[str]
    labels: frozenset[str]
    raw_hits: Sequence[RawHit]

    def has(self, label: str) -> bool:
        return label in self.labels


class Featuriser:
    def __init__(self, known_words: Iterable[str], nlp: Language | None = None) -> None:
        self.nlp = nlp or spacy.blank("en")
        self.normaliser = Normaliser(known_words)
        self.rules = RuleBook(self.nlp.vocab, self.words)

    def words(self, text: str) -> list[str]:
        return self.normaliser(text).split()

    def analyse(self, text: str) -> Analysis:
        words = self.words(text)
        labels = (
            self.rules.labels(Doc(self.nlp.vocab, words=words), words) if words else frozenset()
        )
        raw_hits: Sequence[RawHit] = ()
        # The raw pass (a second tokenisation) only runs where personal details or
        # premium-rate numbers could be: most mentions have neither.
        if _MAY_HOLD_DETAILS.search(text):
            raw_hits = self.rules.raw_hits(self.nlp.make_doc(text))
            labels = labels | {hit.label for hit in raw_hits if not hit.label.startswith("PD_")}
        return Analysis(text, words, labels, raw_hits)

    def model_words(self, analysis: Analysis, use_rule_features: bool = True) -> list[str]:
        """What the classifiers read: the words, then one feature token per rule label."""
        words = list(analysis.words)
        if use_rule_features:
            context = self.rules.context_labels
            words.extend(
                FEATURE_PREFIX + label.lower()
                for label in sorted(analysis.labels)
                if label not in context
            )
        return words or [EMPTY_TOKEN]

    def model_doc(self, analysis: Analysis, use_rule_features: bool = True) -> Doc:
        return Doc(self.nlp.vocab, words=self.model_words(analysis, use_rule_features))

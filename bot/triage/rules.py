"""The rule book: spaCy Matcher / PhraseMatcher patterns loaded from ``intents/rules/``.

Each line of a rules file is ``{"label": ..., "pattern": [token specs]}`` or
``{"label": ..., "phrase": "..."}``; ``"feature": false`` marks a context label (such as
"a room of the home") that only combination rules use and the model never sees.
``"not_followed_by"`` and ``"not_preceded_by"`` list words that cancel a match when they
come straight after or before it ("shut up" but not "shut up shop"): a Matcher pattern
cannot say "not", and without them each exception needed its own near-copy of the rule.
Patterns run on the normalised words of a mention, except those in ``RAW_RULE_FILES``,
which run on the raw text (they need the digits and ``@`` that normalising folds away).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.abc import Traversable
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
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


class _GatedPattern:
    """One token pattern with the words it cannot match without.

    spaCy's Matcher checks every pattern's predicates on every token, which with a few
    hundred patterns dominates triage time. Most patterns need a word from a short list
    ("smell" and "gas"), so a pattern only runs when the mention has such words.
    """

    def __init__(
        self,
        vocab: Vocab,
        label: str,
        pattern: list[dict[str, Any]],
        not_followed_by: frozenset[str] = frozenset(),
        not_preceded_by: frozenset[str] = frozenset(),
    ) -> None:
        self.label = label
        self.matcher = Matcher(vocab)
        self.matcher.add(label, [pattern])
        self.required = [words for words in map(_required_words, pattern) if words is not None]
        self.not_followed_by = not_followed_by
        self.not_preceded_by = not_preceded_by
        # A one-token word-list pattern matches exactly when the word is there.
        self.decided_by_words = (
            len(pattern) == 1
            and len(self.required) == 1
            and not (not_followed_by or not_preceded_by)
        )

    def may_match(self, words: set[str]) -> bool:
        return all(not required.isdisjoint(words) for required in self.required)

    def matches(self, doc: Doc, words: set[str]) -> bool:
        if not self.may_match(words):
            return False
        if self.decided_by_words:
            return True
        return any(self._in_context(doc, start, end) for _, start, end in self.matcher(doc))

    def _in_context(self, doc: Doc, start: int, end: int) -> bool:
        if end < len(doc) and doc[end].lower_ in self.not_followed_by:
            return False
        return not (start > 0 and doc[start - 1].lower_ in self.not_preceded_by)


def _required_words(spec: dict[str, Any]) -> frozenset[str] | None:
    """The words a token spec accepts, or None when it is optional or not a word list."""
    if _may_be_absent(spec.get("OP")):
        return None
    value = spec.get("LOWER", spec.get("ORTH"))
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _may_be_absent(op: object) -> bool:
    """Whether a Matcher quantifier lets the token be missing: ``?``, ``*``, ``{0,3}``, ``{,3}``."""
    if op in ("?", "*"):
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op.strip("{}").split(",")[0].strip()
        return low in ("", "0")
    return False


def _word_list(rule: dict[str, Any], key: str) -> frozenset[str]:
    words = rule.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"{key} must be a list of words")
    return frozenset(w.lower() for w in words)


class RuleBook:
    def __init__(
        self,
        vocab: Vocab,
        normalise_words: Callable[[str], list[str]],
        folder: Traversable | None = None,
    ) -> None:
        self._vocab = vocab
        self._always: list[_GatedPattern] = []
        self._index: dict[str, list[_GatedPattern]] = defaultdict(list)
        self._phrases = PhraseMatcher(vocab, attr="ORTH")
        self._raw = Matcher(vocab)
        self.context_labels: set[str] = set()
        folder = folder or intents_dir().joinpath("rules")
        names = sorted(
            entry.name for entry in folder.iterdir() if entry.name.endswith(".jsonl")
        )
        if not names:
            raise ModelError(f"no rule files found in {folder}")
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
                    after = _word_list(rule, "not_followed_by")
                    before = _word_list(rule, "not_preceded_by")
                    if raw and (after or before):
                        raise ValueError("raw-text rules take no not_followed_by/not_preceded_by")
                    if "phrase" in rule:
                        if raw:
                            raise ValueError("phrases are not allowed in raw-text rules")
                        words = normalise_words(rule["phrase"])
                        if after or before:
                            pattern = [{"ORTH": word} for word in words]
                            self._add_pattern(label, pattern, after, before)
                        else:
                            self._phrases.add(label, [Doc(vocab, words=words)])
                    elif raw:
                        self._raw.add(label, [rule["pattern"]])
                    else:
                        self._add_pattern(label, rule["pattern"], after, before)
                except (KeyError, ValueError, TypeError) as exc:
                    raise ModelError(f"rules file {name} line {number}: {exc}") from exc

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

    def _add_pattern(
        self,
        label: str,
        pattern: list[dict[str, Any]],
        not_followed_by: frozenset[str] = frozenset(),
        not_preceded_by: frozenset[str] = frozenset(),
    ) -> None:
        gated = _GatedPattern(self._vocab, label, pattern, not_followed_by, not_preceded_by)
        if not gated.required:
            self._always.append(gated)
            return
        # Index by the word list that the fewest mentions contain: few stop words, few words.
        key = min(gated.required, key=lambda words: (len(words & STOP_WORDS), len(words)))
        for word in key:
            self._index[word].append(gated)

    def labels(self, doc: Doc, words: Iterable[str]) -> frozenset[str]:
        """Labels of every rule that matches ``doc``, made of the normalised ``words``."""
        strings = self._vocab.strings
        found = {strings[match_id] for match_id, _, _ in self._phrases(doc)}
        present = set(words)
        candidates = {id(p): p for w in present for p in self._index.get(w, ())}
        for pattern in [*candidates.values(), *self._always]:
            if pattern.label not in found and pattern.matches(doc, present):
                found.add(pattern.label)
        return frozenset(found)

    def raw_hits(self, doc: Doc) -> Sequence[RawHit]:
        strings = self._vocab.strings
        return [
            RawHit(strings[match_id], doc[start:end].text)
            for match_id, start, end in self._raw(doc)
        ]

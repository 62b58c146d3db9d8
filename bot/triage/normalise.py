"""Turn social-media text into plain lower-case words for the intent model.

Handles, URLs, hashtags (camel case and run-together words split), emojis, elongations
("pleeease"), txt-speak and misspelt domain words ("boilr", "morgage") are all folded,
so that the classifier sees the same word however it was typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel

from bot.triage.lexicon import Lexicon

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|org|net|ly|io|uk|info|xyz)(?:/\S*)?", re.I
)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_WORD = re.compile(r"£?\d+(?:[.,:]\d+)*(?:am|pm|p|k|st|nd|rd|th|s)?|[a-z0-9*]+(?:'[a-z]+)?", re.I)
_ELONGATED = re.compile(r"(\w)\1{2,}")
# Emoji and pictographs: enough of the ranges to catch what people post.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d]"
)

URL_TOKEN = "xurl"
HANDLE_TOKEN = "xhandle"
EMOJI_TOKEN = "xemoji"
NUMBER_TOKEN = "xnum"
MONEY_TOKEN = "xmoney"
MASKED_SWEAR_TOKEN = "xswear"
SPECIAL_TOKENS = frozenset(
    {URL_TOKEN, HANDLE_TOKEN, EMOJI_TOKEN, NUMBER_TOKEN, MONEY_TOKEN, MASKED_SWEAR_TOKEN}
)
# Real words that end in "-in" (chain, join, protein, ruin), which a dropped "g" never makes,
# and two that are meant as they stand ("within"; "breakin", a break-in).
_NOT_DROPPED_G_ENDINGS = ("ain", "oin", "ein", "uin")
_NOT_DROPPED_G = frozenset({"within", "breakin"})
# Digits for letters, which abuse and spam use to slip past filters ("d1ckhead", "fr33").
_LEET = (str.maketrans("013457", "oieast"), str.maketrans("013457", "oleast"))


class Normaliser:
    def __init__(self, known_words: Iterable[str] = (), lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon or Lexicon.load()
        self._domain = sorted(self._lexicon.domain_words)
        self._known = frozenset(known_words) | self._lexicon.domain_words | SPECIAL_TOKENS
        # The segmenter splits "#nohotwater" into known words; short words make it guess wildly.
        self._segment_words = frozenset(w for w in self._known if len(w) > 1) | {"a", "i"}
        self._fix = lru_cache(maxsize=65536)(self._fix_word)

    def __call__(self, text: str) -> str:
        if "&" in text:
            # X's API and some exports send "&amp;", "&lt;", "&gt;" escaped.
            text = html.unescape(text)
        text = _URL.sub(f" {URL_TOKEN} ", text)
        text = _HANDLE.sub(f" {HANDLE_TOKEN} ", text)
        text = _HASHTAG.sub(lambda m: " " + self._split_hashtag(m.group(1)) + " ", text)
        text = _EMOJI.sub(lambda m: f" {self._emoji_word(m.group(0))} ", text)
        text = text.replace("’", "'").replace("‘", "'").replace("&", " and ")
        words = [self._fix(w) for w in _WORD.findall(text.lower())]
        return " ".join(w for w in words if w)

    def _emoji_word(self, char: str) -> str:
        if char in ("\ufe0f", "\u200d"):
            return ""
        return self._lexicon.emoji_words.get(char, EMOJI_TOKEN)

    def _split_hashtag(self, tag: str) -> str:
        spaced = _CAMEL.sub(" ", tag).lower()
        parts = spaced.split()
        return " ".join(self._segment(p) for p in parts)

    def _segment(self, word: str) -> str:
        if word in self._known or len(word) > 40:
            return word
        # best[i] = fewest known words covering word[:i]
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 20), end):
                head = best[start]
                piece = word[start:end]
                if head is not None and piece in self._segment_words:
                    candidate = [*head, piece]
                    current = best[end]
                    if current is None or len(candidate) < len(current):
                        best[end] = candidate
        result = best[len(word)]
        return " ".join(result) if result else word

    def _fix_word(self, word: str) -> str:
        if word.startswith("£"):
            return MONEY_TOKEN
        if word[0].isdigit():
            mapped = self._lexicon.txt_speak.get(word)
            if mapped:
                return mapped
            return NUMBER_TOKEN if word.replace(",", "").replace(".", "").isdigit() else word
        if "*" in word:
            return MASKED_SWEAR_TOKEN if any(c.isalpha() for c in word) else ""
        mapped = self._lexicon.txt_speak.get(word)
        if mapped is not None:
            return mapped
        restored = self._restore_dropped_g(word)
        if restored is not None:
            return restored
        if word in self._known:
            return word
        plain = self._unleet(word)
        if plain is not None:
            return plain
        squeezed = _ELONGATED.sub(r"\1\1", word)
        if squeezed != word:
            if squeezed in self._known:
                return squeezed
            single = _ELONGATED.sub(r"\1", word)
            if single in self._known:
                return single
            word = squeezed
            mapped = self._lexicon.txt_speak.get(word)
            if mapped is not None:
                return mapped
        return self._correct(word)

    def _unleet(self, word: str) -> str | None:
        """"d1ckheads" → "dickheads", "fr33" → "free": the known word the digits spell."""
        if not any(c.isdigit() for c in word) or not any(c.isalpha() for c in word):
            return None
        for table in _LEET:
            plain = word.translate(table)
            if plain in self._known:
                return plain
        return None

    def _restore_dropped_g(self, word: str) -> str | None:
        """"waitin", "intimidatin", "nothin" → the "-ing" word, when that word is known.

        Dialect and quick typing drop the g, and the model would otherwise see a word it
        was never shown, or one it saw only a few times apart from its "-ing" form. Short
        words ("thin", "win", "kin") are left alone: they are usually meant as they are."""
        if (
            len(word) < 5
            or not word.endswith("in")
            or word.endswith(_NOT_DROPPED_G_ENDINGS)
            or word in _NOT_DROPPED_G
        ):
            return None
        restored = word + "g"
        return restored if restored in self._known else None

    def would_correct(self, word: str) -> bool:
        """Whether an unknown ``word`` would be corrected into a domain word."""
        return word not in self._known and self._correct(word) != word

    def _correct(self, word: str) -> str:
        """Fuzzy-correct a misspelt domain word; leave anything else alone."""
        if len(word) < 4 or not word.isalpha():
            return word
        # Typing slips drop, add or swap letters ("boilr", "morgage", "recieve"); a changed
        # letter in a short word is usually another real word ("boiled"), so it needs length.
        max_distance = 2 if len(word) >= 7 else 1
        match = process.extractOne(
            word, self._domain, scorer=Indel.distance, score_cutoff=max_distance
        )
        return match[0] if match else word

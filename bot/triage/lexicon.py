"""Word lists from ``intents/lexicons/``: txt-speak, emoji words and the domain vocabulary.

They are data so that the team can extend them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.resources import intents_dir


def _lines(name: str) -> list[str]:
    text = intents_dir().joinpath("lexicons", name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _pairs(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _lines(name):
        key, _, value = line.partition("\t")
        if value:
            table[key.strip()] = value.strip()
    return table


@dataclass(frozen=True)
class Lexicon:
    txt_speak: dict[str, str]
    emoji_words: dict[str, str]
    domain_words: frozenset[str]  # what misspellings are corrected towards

    @staticmethod
    @lru_cache(maxsize=1)
    def load() -> Lexicon:
        return Lexicon(
            txt_speak=_pairs("txt_speak.tsv"),
            emoji_words=_pairs("emoji.tsv"),
            domain_words=frozenset(w.lower() for w in _lines("domain_words.txt")),
        )

"""Checks on the rule files themselves, so a rule cannot silently mean something else."""

from __future__ import annotations

import json

from bot.resources import intents_dir
from bot.triage.features import Featuriser


def _phrases() -> list[tuple[str, int, str]]:
    found = []
    folder = intents_dir().joinpath("rules")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".jsonl"):
            continue
        for number, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                rule = json.loads(line)
                if "phrase" in rule:
                    found.append((entry.name, number, rule["phrase"]))
    return found


def test_every_phrase_keeps_all_its_words_after_normalising() -> None:
    # "make $" once normalised to "make" and marked every "make" as spam.
    featuriser = Featuriser([])
    phrases = _phrases()
    collapsed = [
        f"{name}:{number} {phrase!r} → {words}"
        for name, number, phrase in phrases
        for words in [featuriser.words(phrase)]
        if len(words) < len(phrase.split())
    ]
    assert phrases
    assert not collapsed

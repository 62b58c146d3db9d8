"""The rule book's own grammar, on rule files written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from bot.errors import ModelError
from bot.triage.rules import RuleBook

VOCAB = spacy.blank("en").vocab


def _book(tmp_path: Path, *rules: dict[str, object]) -> RuleBook:
    folder = tmp_path / "rules"
    folder.mkdir()
    lines = "\n".join(json.dumps(rule) for rule in rules)
    (folder / "test.jsonl").write_text(lines + "\n", encoding="utf-8")
    return RuleBook(VOCAB, str.split, folder)


def _labels(book: RuleBook, text: str) -> frozenset[str]:
    words = text.split()
    return book.labels(Doc(VOCAB, words=words), words)


SHUT_UP = {
    "label": "RUDE",
    "pattern": [{"LOWER": "shut"}, {"LOWER": "up"}],
    "not_followed_by": ["shop", "the"],
}


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("oh shut up", True),
        ("shut up you idiot", True),
        ("the chippy has shut up shop", False),
        ("have they shut up the old hall", False),
    ],
)
def test_not_followed_by_cancels_a_match_on_the_next_word(
    tmp_path: Path, text: str, matched: bool
) -> None:
    assert ("RUDE" in _labels(_book(tmp_path, SHUT_UP), text)) is matched


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("he deserves to suffer", True),
        ("no child deserves to suffer", True),
        ("no one deserves to suffer", False),
        ("nobody deserves to suffer", False),
    ],
)
def test_not_preceded_by_cancels_a_match_on_the_word_before(
    tmp_path: Path, text: str, matched: bool
) -> None:
    rule = {
        "label": "THREAT",
        "pattern": [{"LOWER": "deserves"}, {"LOWER": "to"}, {"LOWER": "suffer"}],
        "not_preceded_by": ["one", "nobody"],
    }
    assert ("THREAT" in _labels(_book(tmp_path, rule), text)) is matched


def test_a_phrase_takes_the_same_exceptions(tmp_path: Path) -> None:
    book = _book(tmp_path, {"label": "JACKPOT", "phrase": "jackpot", "not_preceded_by": ["the"]})
    assert "JACKPOT" in _labels(book, "win a jackpot now")
    assert "JACKPOT" not in _labels(book, "hit the jackpot with my kitchen")


def test_a_single_word_pattern_with_exceptions_still_checks_them(tmp_path: Path) -> None:
    rule = {"label": "SEXUAL", "pattern": [{"LOWER": "tits"}], "not_preceded_by": ["blue"]}
    book = _book(tmp_path, rule)
    assert "SEXUAL" in _labels(book, "nice tits")
    assert "SEXUAL" not in _labels(book, "blue tits nesting")


def test_a_token_that_may_repeat_zero_times_is_not_required(tmp_path: Path) -> None:
    # "{0,2}" lets the middle word be missing, as "?" does: the pattern must still run
    # on a mention without any of those words.
    rule = {
        "label": "NO_HEAT",
        "pattern": [
            {"LOWER": "power"},
            {"LOWER": {"IN": ["is", "has", "gone"]}, "OP": "{0,2}"},
            {"LOWER": "off"},
        ],
    }
    book = _book(tmp_path, rule)
    assert "NO_HEAT" in _labels(book, "should i turn the power off")
    assert "NO_HEAT" in _labels(book, "the power has gone off")


def test_an_exception_list_must_be_words(tmp_path: Path) -> None:
    rule = {"label": "X", "phrase": "shut up", "not_followed_by": "shop"}
    with pytest.raises(ModelError, match="line 1: not_followed_by must be a list"):
        _book(tmp_path, rule)

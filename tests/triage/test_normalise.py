from __future__ import annotations

import pytest

from bot.triage.normalise import Normaliser


@pytest.fixture(scope="module")
def normalise() -> Normaliser:
    return Normaliser(["flat", "block", "the", "lift", "is", "broken", "again"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@westkentha hi", "xhandle hi"),
        ("see https://t.co/abc123 now", "see xurl now"),
        ("#NoHotWater again", "no hot water again"),
        ("#StormBert", "storm bert"),
        ("#liftbroken", "lift broken"),
        ("pleeeease", "please"),
        ("u r gr8 thx", "you are great thanks"),
        ("my boilr is brokn", "my boiler is broken"),
        ("can i get a morgage", "can i get a mortgage"),
        ("f***ing joke", "xswear joke"),
        ("£50 on 3 May", "xmoney on xnum may"),
        ("😡😡", "angry angry"),
        ("🦄", "xemoji"),
        ("fish &amp; chips &lt;3", "fish and chips xnum"),
    ],
)
def test_normalisation(normalise: Normaliser, raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_ordinary_words_are_not_corrected_into_domain_words(normalise: Normaliser) -> None:
    assert normalise("boiled eggs") == "boiled eggs"
    assert normalise("hello") == "hello"


def test_real_english_words_the_corpus_never_used_are_left_alone() -> None:
    from bot.triage.real_words import protected_words

    plain = Normaliser(["flat"])
    assert plain("unhelpful") == "helpful"  # what happened without the English list
    known = {"flat"} | protected_words()
    guarded = Normaliser(known)
    assert guarded("unhelpful staff") == "unhelpful staff"
    assert guarded("on tape") == "on tape"
    assert guarded("my boilr is brokn") == "my boiler is broken"


def test_a_dropped_g_is_restored_when_the_ing_word_is_known() -> None:
    known = ["waiting", "intimidating", "nothing", "thing", "chaing", "withing", "breaking"]
    normalise = Normaliser(known)
    assert normalise("still waitin, nothin done") == "still waiting nothing done"
    assert normalise("lads intimidatin people") == "lads intimidating people"
    # Real "-in" words, short words and words whose "-ing" form the model never saw stay.
    assert normalise("thin chain within") == "thin chain within"
    assert normalise("a log cabin") == "a log cabin"
    assert normalise("my cousin") == "my cousin"


def test_digits_for_letters_spell_the_known_word() -> None:
    normalise = Normaliser(["dickheads", "free", "idiot", "hello"])
    assert normalise("d1ckheads fr33 id10t he11o") == "dickheads free idiot hello"
    # Times, ordinals and words the digits do not spell stay as they were.
    assert normalise("at 3pm on the 2nd, b4 xmas") == "at 3pm on the 2nd before xmas"

"""Real English words that the typo corrector must leave alone.

The corrector pulls an unknown word towards the nearest domain word by edit distance, and
without a dictionary it cannot tell a slip ("boilr") from a real word it was never shown:
"unhelpful" became "helpful", "tape" "tap", "hating" "heating", "prepared" "repaired".
The corpus cannot list every English word, so the model is built with pyspellchecker's
English word frequencies, and the common words that sit next to a domain word are stored
with the model as known words. pyspellchecker is needed to build a model, never to run one.
"""

from __future__ import annotations

from functools import lru_cache

from bot.triage.normalise import Normaliser

#: Below this count in pyspellchecker's English list a "word" is as often a slip or a rare
#: name ("emil", "pres") as a word a resident means.
MIN_FREQUENCY = 50


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    from spellchecker import SpellChecker  # imported here: only a model build needs it

    frequencies = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(
        word
        for word, count in frequencies.items()
        if count >= MIN_FREQUENCY and len(word) >= 4 and word.isalpha()
    )


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """The common English words that the corrector would change into a domain word.

    Which words those are depends only on the domain vocabulary, so one pass per process
    serves every model build and every cross-validation fold."""
    corrector = Normaliser()
    return frozenset(w for w in english_words() if corrector.would_correct(w))

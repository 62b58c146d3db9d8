"""The X length counter, checked against twitter-text v3's own conformance figures."""

from __future__ import annotations

import pytest

from bot.reply.twitter_length import TWEET_LIMIT, fits_in_a_tweet, weighted_length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a test.", 15),
        ("Hi http://test.co", 3 + 23),
        ("http://test.com", 23),
        ("https://www.westkent.org/a/very/long/path/to/some/page?with=query&and=more", 23),
        ("test.com", 23),  # a bare domain is linked (and shortened) too
        ("www.westkent.org.uk", 23),
        ("Test https://test.com test https://test.com test.com test", 86),
        ("see https://www.westkent.org/complaints.", 4 + 23 + 1),  # the full stop is not the link
    ],
)
def test_every_link_counts_23_whatever_its_length(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_an_email_address_is_not_a_link() -> None:
    email = "communications@westkent.org"
    assert weighted_length(email) == len(email)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("😷👾😡🔥💩", 10),
        ("🙋🏽👨‍🎤", 4),  # skin tone and a ZWJ sequence are one emoji each
        ("H🐱☺👨‍👩‍👧‍👦", 1 + 2 + 2 + 2),  # the family of four is a single emoji
        ("🇬🇧", 2),  # a flag is two regional indicators, one emoji
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 2),  # England
        ("1️⃣", 2),  # keycap
        ("❤️", 2),
    ],
)
def test_an_emoji_sequence_counts_2(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("故人西辞黄鹤楼", 14),
        ("저찀쯿쿿", 8),
        ("の" * 140, 280),
        ("\U00010000\U0010ffff", 4),
        ("the故人", 3 + 4),
    ],
)
def test_cjk_and_other_wide_characters_count_2(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_latin_accents_and_typographic_punctuation_count_1() -> None:
    # Latin-1, the en dash, curly quotes, prime marks: all in X's weight-1 ranges.
    assert weighted_length("Zoë’s “café” – 9am–5pm ′″") == len("Zoë’s “café” – 9am–5pm ′″")


def test_text_is_normalised_before_counting() -> None:
    decomposed = "A\u0301B"  # A + combining acute is one character once NFC-composed
    assert weighted_length(decomposed) == 2


def test_the_limit() -> None:
    assert fits_in_a_tweet("x" * TWEET_LIMIT)
    assert not fits_in_a_tweet("x" * (TWEET_LIMIT + 1))
    assert not fits_in_a_tweet("の" * 141)
    assert not fits_in_a_tweet("")

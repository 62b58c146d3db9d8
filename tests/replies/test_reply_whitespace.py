"""Rendered templates are tidied: wrapped lines joined, gaps left by skipped lines closed."""

from __future__ import annotations

from bot.reply.whitespace import normalise_whitespace


def test_wrapped_lines_join_and_paragraphs_stay_apart() -> None:
    rendered = "\n  Hi Sam,   thanks for\n  asking.  \n\n\n\n\nWe're back\tat 9am.\n\n"
    assert normalise_whitespace(rendered) == "Hi Sam, thanks for asking.\n\nWe're back at 9am."


def test_nothing_but_space_is_empty() -> None:
    assert normalise_whitespace(" \n\t\n ") == ""

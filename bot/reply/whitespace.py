"""Tidy a rendered draft: templates are written for people to read, not for exact spacing."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\u00a0]+")


def normalise_whitespace(text: str) -> str:
    """One space between words; lines of a paragraph joined; paragraphs split by one blank line.

    Template authors can wrap long sentences over several lines and leave an empty line
    where an optional sentence was left out; neither shows in the draft.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in text.splitlines():
        line = _SPACES.sub(" ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)

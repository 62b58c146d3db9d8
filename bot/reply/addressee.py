"""How a draft may address the author: a first name or a handle, or neither.

Display names are free text and can hold anything, including a phone number, so we only use
something that plainly looks like a first name or a username; otherwise "Hi there".
"""

from __future__ import annotations

import re

from bot.domain import Author

LONGEST_NAME = 15
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "lady"})
# Letters, with single hyphens or apostrophes inside (Mary-Jane, O'Neill, Zoë).
_NAME = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,31}")
_DIGIT_RUN = re.compile(r"\d{5,}")


def first_name(author: Author) -> str:
    """The author's first name if their display name starts with one, else ''."""
    words = author.name.split()
    if not words:
        return ""
    word = words[0].strip('.,;:!?"()[]')
    if (
        len(word) > LONGEST_NAME
        or not _NAME.fullmatch(word)
        or not word[0].isupper()
        or word.lower().rstrip(".") in _TITLES
    ):
        return ""
    return word


def safe_handle(author: Author) -> str:
    """'@username' if the handle is an ordinary username, else ''.

    Numeric ids (Facebook) and handles with long digit runs (which may be phone numbers)
    are never echoed.
    """
    handle = author.handle.strip().removeprefix("@")
    if not _HANDLE.fullmatch(handle) or _DIGIT_RUN.search(handle):
        return ""
    return f"@{handle}"

"""Putting other people's text into Slack mrkdwn safely, in pieces that fit a block.

Slack reads ``&``, ``<`` and ``>`` as markup (links, ``<!channel>``, user mentions), so text
from the public is escaped before it goes into a mrkdwn field: a tweet saying ``<!channel>``
must not ping a whole channel. A section's text is limited to 3,000 characters, so long
texts (a Facebook comment can run to thousands) are cut into several quoted pieces.
"""

from __future__ import annotations

from datetime import datetime

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_QUOTE = "> "


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only &, < and > need it."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def quote(escaped: str) -> str:
    """Quote already-escaped text, every line of it."""
    return _QUOTE + escaped.replace("\n", "\n" + _QUOTE)


def _cost(ch: str) -> int:
    return len(_ESCAPES.get(ch, ch)) + (len(_QUOTE) if ch == "\n" else 0)


def quoted_chunks(text: str, limit: int) -> list[str]:
    """``text`` escaped and quoted, cut into pieces of at most ``limit`` characters each.

    Cuts fall on whitespace where there is some in the second half of a piece, so words
    are not split; an escape (``&amp;``) is never split because cutting happens on the raw
    text before escaping.
    """
    if limit < 16:
        raise ValueError("limit too small for a quoted piece")
    if not text:
        return []
    pieces: list[str] = []
    start, size, last_space = 0, len(_QUOTE), -1
    i = 0
    while i < len(text):
        ch = text[i]
        cost = _cost(ch)
        if size + cost > limit:
            cut = last_space + 1 if last_space > start + (i - start) // 2 else i
            pieces.append(text[start:cut])
            start, last_space = cut, -1
            size = len(_QUOTE) + sum(_cost(c) for c in text[start:i])
            continue
        if ch.isspace():
            last_space = i
        size += cost
        i += 1
    pieces.append(text[start:])
    return [quote(escape(p)) for p in pieces if p]


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


def user(user_id: str) -> str:
    """A Slack user mention, ``<@U123>``."""
    return f"<@{user_id}>"


def usergroup(group_id: str) -> str:
    """A user-group mention that notifies its members, ``<!subteam^S123>``."""
    return f"<!subteam^{group_id}>"


def link(url: str, label: str) -> str:
    """A link with a label; the label is escaped, a URL with markup characters is dropped."""
    if not url or any(c in url for c in "<>|"):
        return escape(label)
    return f"<{url}|{escape(label)}>"


def when(moment: datetime) -> str:
    """A local time people read at a glance, e.g. 'Tue 12 Nov, 18:32'."""
    return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"

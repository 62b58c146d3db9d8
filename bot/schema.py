"""The JSON Lines input schema, the same for every command: one mention a line.

``{"id", "platform", "kind", "author": {"handle", "name"}, "text", "created_at",
"account"?, "url"?, "in_reply_to"?}``; extra keys are ignored. A line that cannot be read
raises ``InputError`` carrying its line number, so that callers can report and skip it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import Author, Kind, Mention, Platform
from bot.errors import InputError

#: Texts longer than this are cut before triage; a Facebook comment can be 8,000
#: characters, a pasted essay much more, and nothing past this changes the intent.
MAX_TEXT_CHARS = 20_000

_PLATFORMS = {p.value: p for p in Platform}
_KINDS = {k.value: k for k in Kind}


@dataclass(frozen=True)
class Line:
    """One readable input line: the mention and the raw object (for extra keys like expect)."""

    number: int
    mention: Mention
    raw: dict[str, Any]


def parse_mention(obj: Any, line: int | None = None) -> Mention:
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object", line)
    ident = _required_str(obj, "id", line)
    platform_name = _required_str(obj, "platform", line)
    platform = _PLATFORMS.get(platform_name.strip().lower())
    if platform is None:
        raise InputError(
            f"unknown platform '{platform_name}' (expected one of {', '.join(_PLATFORMS)})", line
        )
    kind_name = _required_str(obj, "kind", line)
    kind = _KINDS.get(kind_name.strip().lower())
    if kind is None:
        raise InputError(f"unknown kind '{kind_name}' (expected one of {', '.join(_KINDS)})", line)
    author_obj = obj.get("author")
    if not isinstance(author_obj, dict):
        raise InputError("missing field 'author' (an object with 'handle' and 'name')", line)
    handle = _required_str(author_obj, "handle", line, prefix="author.")
    name = author_obj.get("name") or ""
    if not isinstance(name, str):
        raise InputError("field 'author.name' must be a string", line)
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("missing field 'text' (a string)", line)
    created_at = _timestamp(_required_str(obj, "created_at", line), line)
    return Mention(
        id=ident,
        platform=platform,
        kind=kind,
        author=Author(handle=handle, name=name),
        text=text[:MAX_TEXT_CHARS],
        created_at=created_at,
        account=_optional_str(obj, "account", line),
        url=_optional_str(obj, "url", line),
        in_reply_to=_optional_str(obj, "in_reply_to", line),
    )


def parse_mention_line(text: str, lineno: int) -> Mention:
    return parse_line(text, lineno).mention


def parse_line(text: str, lineno: int) -> Line:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})", lineno) from exc
    return Line(lineno, parse_mention(obj, lineno), obj)


def read_lines(lines: Iterable[str]) -> Iterator[Line | InputError]:
    """Each non-blank line, parsed; bad lines come back as errors so the caller can go on."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            yield parse_line(text, number)
        except InputError as exc:
            yield exc


def _required_str(obj: dict[str, Any], key: str, line: int | None, prefix: str = "") -> str:
    value = obj.get(key)
    if value is None:
        raise InputError(f"missing field '{prefix}{key}'", line)
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        return str(value)  # numeric ids are common in exports (tweet ids)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"field '{prefix}{key}' must be a non-empty string", line)
    return value


def _optional_str(obj: dict[str, Any], key: str, line: int | None) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"field '{key}' must be a string", line)
    return value


def _timestamp(value: str, line: int | None) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"'created_at' is not an ISO 8601 timestamp: '{value}'", line) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"'created_at' has no UTC offset: '{value}' (write e.g. {value}+00:00)", line
        )
    return moment

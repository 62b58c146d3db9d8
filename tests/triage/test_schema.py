from __future__ import annotations

import json

import pytest

from bot.domain import Kind, Platform
from bot.errors import InputError
from bot.schema import MAX_TEXT_CHARS, parse_line, read_lines

GOOD = {
    "id": "1789",
    "platform": "twitter",
    "kind": "mention",
    "author": {"handle": "@jo", "name": "Jo"},
    "text": "what time do you open?",
    "created_at": "2026-03-30T09:15:00+01:00",
}


def line(**changes: object) -> str:
    obj = {**GOOD, **changes}
    return json.dumps({k: v for k, v in obj.items() if v is not None})


def test_good_line_becomes_a_mention() -> None:
    m = parse_line(line(extra="ignored", url="https://x.com/jo/status/1789"), 1).mention
    assert m.platform is Platform.TWITTER and m.kind is Kind.MENTION
    assert m.author.handle == "@jo" and m.url.endswith("1789")
    assert m.created_at.utcoffset() is not None
    assert m.key == ("twitter", "", "1789")


def test_z_suffix_and_numeric_id_are_accepted() -> None:
    m = parse_line(line(created_at="2026-03-30T08:15:00Z", id=1789), 3).mention
    assert m.id == "1789"
    assert m.created_at.isoformat() == "2026-03-30T08:15:00+00:00"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (line(id=None), "missing field 'id'"),
        (line(text=None), "missing field 'text'"),
        (line(author=None), "missing field 'author'"),
        (line(author={"name": "x"}), "missing field 'author.handle'"),
        (line(created_at=None), "missing field 'created_at'"),
        (line(platform="myspace"), "unknown platform 'myspace'"),
        (line(kind="story"), "unknown kind 'story'"),
        (line(created_at="2026-03-30T09:15:00"), "no UTC offset"),
        (line(created_at="yesterday"), "not an ISO 8601 timestamp"),
        (line(platform=None), "missing field 'platform'"),
    ],
)
def test_bad_lines_are_errors_with_their_line_number(text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_line(text, 7)
    assert caught.value.line == 7
    assert reason in str(caught.value)
    assert str(caught.value).startswith("line 7: ")


def test_read_lines_goes_on_after_a_bad_line_and_skips_blank_ones() -> None:
    items = list(read_lines([line(id="a"), "oops", "", line(id="b")]))
    assert [type(i).__name__ for i in items] == ["Line", "InputError", "Line"]
    assert isinstance(items[1], InputError) and items[1].line == 2
    last = items[2]
    assert not isinstance(last, InputError) and last.number == 4


def test_empty_text_is_allowed_and_huge_text_is_cut() -> None:
    assert parse_line(line(text=""), 1).mention.text == ""
    huge = parse_line(line(text="a" * (MAX_TEXT_CHARS * 3)), 1).mention
    assert len(huge.text) == MAX_TEXT_CHARS

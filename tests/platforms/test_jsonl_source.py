"""The JSON Lines source behind `socialbot ingest`, on real files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.domain import Kind, Platform
from bot.errors import InputError
from bot.platforms.base import PollingSource
from bot.platforms.jsonl import JsonlSource


def line(ident: str, text: str = "When are you open?", **extra: str) -> str:
    return json.dumps({
        "id": ident, "platform": "twitter", "kind": "mention",
        "author": {"handle": "@jane", "name": "Jane"}, "text": text,
        "created_at": "2025-03-04T10:30:00Z", **extra,
    }) + "\n"


async def test_reads_mentions_and_goes_on_from_the_cursor(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(line("1") + line("2", in_reply_to="9"))
    source = JsonlSource(path)
    assert isinstance(source, PollingSource)

    first = await source.poll(None)

    assert [m.id for m in first.mentions] == ["1", "2"]
    assert first.mentions[0].platform is Platform.TWITTER
    assert first.mentions[0].kind is Kind.MENTION
    assert first.mentions[1].in_reply_to == "9"
    assert (await source.poll(first.cursor)).mentions == []

    with path.open("a") as handle:
        handle.write(line("3"))
    later = await source.poll(first.cursor)
    assert [m.id for m in later.mentions] == ["3"]


async def test_bad_lines_are_logged_with_their_number_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(line("1") + "{not json\n\n" + line("2").replace('"twitter"', '"myspace"')
                    + line("3"))
    source = JsonlSource(path)
    with caplog.at_level(logging.WARNING, logger="bot.platforms.jsonl"):
        result = await source.poll(None)
    assert [m.id for m in result.mentions] == ["1", "3"]
    assert [e.line for e in source.errors] == [2, 4]
    assert any("line 4" in r.getMessage() and "myspace" in r.getMessage()
               for r in caplog.records)


async def test_a_line_still_being_written_waits_for_the_next_poll(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    whole = line("2")
    path.write_text(line("1") + whole[:20])
    source = JsonlSource(path)
    first = await source.poll(None)
    assert [m.id for m in first.mentions] == ["1"]
    with path.open("a") as handle:
        handle.write(whole[20:])
    second = await source.poll(first.cursor)
    assert [m.id for m in second.mentions] == ["2"]
    assert second.cursor is not None and second.cursor.endswith(":2")


async def test_reads_in_batches_until_the_cursor_stops_moving(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(line(str(i)) for i in range(7)))
    source = JsonlSource(path, max_lines=3)
    cursor, seen = None, []
    while True:
        result = await source.poll(cursor)
        seen += [m.id for m in result.mentions]
        if result.cursor == cursor:
            break
        cursor = result.cursor
    assert seen == [str(i) for i in range(7)]


async def test_a_missing_file_is_a_clear_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        await JsonlSource(tmp_path / "nope.jsonl").poll(None)

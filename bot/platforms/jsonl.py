"""A JSON Lines export as a source of mentions (``socialbot ingest PATH``).

The cursor is how far the file has been read (byte offset and line number), so reading it
again, or reading a file that an export keeps appending to, goes on from there and neither
repeats nor misses a line. Only complete lines are read: a last line still being written
is left for the next poll. Lines that do not parse (``bot.schema``) are logged with their
line number and skipped. Each poll reads at most ``max_lines`` lines; call it until the
cursor stops moving (a poll of bad lines only returns no mentions but a new cursor).
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from bot.domain import Mention
from bot.errors import InputError
from bot.platforms.base import PollResult
from bot.schema import parse_mention_line

log = logging.getLogger(__name__)


class JsonlSource:
    def __init__(self, path: str | os.PathLike[str], *, max_lines: int = 1000) -> None:
        self.path = Path(path)
        self.max_lines = max_lines
        self.name = f"jsonl:{self.path.resolve()}"
        #: The bad lines of the last poll, for a caller that reports them (the CLI).
        self.errors: list[InputError] = []

    async def poll(self, cursor: str | None) -> PollResult:
        return await asyncio.to_thread(self._read, cursor)

    def _read(self, cursor: str | None) -> PollResult:
        offset, line_number = _parse_cursor(cursor)
        self.errors = []
        try:
            size = self.path.stat().st_size
            if size < offset:
                log.warning(
                    "%s is shorter than when it was last read; reading it from the start",
                    self.path,
                )
                offset, line_number = 0, 0
            with self.path.open("rb") as handle:
                handle.seek(offset)
                mentions: list[Mention] = []
                for _ in range(self.max_lines):
                    raw = handle.readline()
                    if not raw.endswith(b"\n"):
                        break  # end of file, or a line still being written
                    offset += len(raw)
                    line_number += 1
                    mention = self._parse(raw, line_number)
                    if mention is not None:
                        mentions.append(mention)
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        return PollResult(mentions, f"{offset}:{line_number}")

    def _parse(self, raw: bytes, line_number: int) -> Mention | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            error = InputError("not UTF-8 text", line_number)
        else:
            if not text.strip():
                return None
            try:
                return parse_mention_line(text, line_number)
            except InputError as exc:
                error = exc
        log.warning("%s: skipped %s", self.path, error)
        self.errors.append(error)
        return None


def _parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    offset, _, line = cursor.partition(":")
    try:
        return max(int(offset), 0), max(int(line or 0), 0)
    except ValueError:
        log.warning("unreadable file cursor %r; reading from the start", cursor)
        return 0, 0

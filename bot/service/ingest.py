"""``socialbot ingest``: mentions from a JSON Lines file into the store, triaged and queued for
review, exactly as if a platform had delivered them (the running service posts the cards).

Every line is read (``bot.schema``); a line that cannot be read is reported with its number
and skipped, the others go on. A mention already stored (same platform, account and id) is
stored once: ingesting the same file again, or an export that overlaps the last one, is safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from bot.domain import Mention
from bot.errors import InputError
from bot.processing import MentionProcessor
from bot.schema import parse_line
from bot.service.triage_step import still_received, triage_and_queue
from bot.store.port import Store
from bot.store.records import MentionKey

#: Mentions stored per transaction batch; the file is never held in memory whole.
CHUNK = 500


@dataclass
class IngestReport:
    read: int = 0  # readable mentions in the file
    new: int = 0  # stored for the first time
    queued: int = 0  # triaged and queued for review now
    skipped: list[InputError] = field(default_factory=list)  # unreadable lines

    @property
    def repeated(self) -> int:
        return self.read - self.new


def read_mentions(stream: IO[bytes]) -> Iterator[Mention | InputError]:
    """Each non-blank line as a mention, or the error saying why it cannot be read.

    Bytes are decoded line by line, so one line that is not UTF-8 does not spoil the rest.
    """
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield InputError("not UTF-8 text", number)
            continue
        if not text.strip():
            continue
        try:
            yield parse_line(text, number).mention
        except InputError as exc:
            yield exc


def store_mentions(
    store: Store, items: Iterator[Mention | InputError], report: IngestReport
) -> list[MentionKey]:
    """Store every readable mention; returns the keys of those still waiting for triage."""
    waiting: list[MentionKey] = []
    while chunk := list(islice(items, CHUNK)):
        mentions: list[Mention] = []
        for item in chunk:
            if isinstance(item, InputError):
                report.skipped.append(item)
            else:
                mentions.append(item)
        for mention in mentions:
            report.read += 1
            if store.ingest(mention).created:
                report.new += 1
        # New ones, and old ones whose triage never happened (a crash mid-way last time).
        waiting += [m.key for m in still_received(store, [m.key for m in mentions])]
    return waiting


def triage_stored(
    store: Store, processor: MentionProcessor, keys: list[MentionKey], report: IngestReport
) -> None:
    for start in range(0, len(keys), CHUNK):
        report.queued += len(triage_and_queue(store, processor, keys[start : start + CHUNK]))

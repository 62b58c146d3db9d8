"""A cursor for sources whose APIs can only be asked "what is newer than this time".

Flickr and YouTube comments have no ordered ids to ask "since" for, and comments on
different photos or videos are fetched one after another, so a comment written during a
poll can carry an older time than the newest one that poll saw. The cursor therefore keeps
the newest time seen and the ids of everything within ``OVERLAP`` before it: the next poll
asks again from ``newest - OVERLAP`` and drops what it has already seen.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: How far back each poll looks again; far longer than a poll takes.
OVERLAP = 3600


@dataclass(frozen=True)
class SeenCursor:
    newest: int  # epoch seconds of the newest item seen
    recent: dict[str, int] = field(default_factory=dict)  # id -> epoch seconds, in the overlap

    @property
    def fetch_from(self) -> int:
        return self.newest - OVERLAP

    def is_new(self, item_id: str, when: int) -> bool:
        return when >= self.fetch_from and item_id not in self.recent

    def advanced(self, items: Iterable[tuple[str, int]]) -> SeenCursor:
        seen = dict(self.recent)
        seen.update(items)
        newest = max([self.newest, *seen.values()])
        return SeenCursor(newest, {i: t for i, t in seen.items() if t >= newest - OVERLAP})

    def dumps(self) -> str:
        return json.dumps({"newest": self.newest, "recent": self.recent}, sort_keys=True)

    @classmethod
    def loads(cls, text: str | None, *, default_newest: int) -> SeenCursor:
        """The stored cursor; a missing or unreadable one starts from ``default_newest``."""
        if text:
            try:
                raw = json.loads(text)
                return cls(
                    int(raw["newest"]), {str(k): int(v) for k, v in dict(raw["recent"]).items()}
                )
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("unreadable cursor %r (%s); starting from the look-back", text, exc)
        return cls(default_newest + OVERLAP)  # so that fetch_from == default_newest

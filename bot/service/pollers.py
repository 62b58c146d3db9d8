"""Polling sources on their interval, with their cursors in the store.

Each poll's mentions are stored (through the intake) BEFORE the new cursor is saved, so a
restart at any moment neither misses a mention (the cursor never runs ahead of the store) nor
repeats one (a mention fetched twice is stored once). A failed poll is logged and tried again
at the next interval (or when the platform's rate limit says); it never stops the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.errors import RateLimited, SocialbotError
from bot.platforms.base import PollingSource
from bot.service.intake import Intake
from bot.store.port import Store
from bot.store.records import Clock, utc_now

log = logging.getLogger(__name__)

#: Longest a poll may take before it is abandoned (the cursor is then not moved).
POLL_TIMEOUT = 120.0


@dataclass
class PollerStatus:
    """What /healthz says about one source."""

    running: bool = False
    polls: int = 0
    mentions: int = 0
    last_success: datetime | None = None
    last_error: str = ""


class SourcePoller:
    def __init__(
        self,
        source: PollingSource,
        store: Store,
        intake: Intake,
        *,
        interval: float,
        clock: Clock = utc_now,
    ) -> None:
        self.source = source
        self._store = store
        self._intake = intake
        self.interval = interval
        self._clock = clock
        self.status = PollerStatus()

    @property
    def name(self) -> str:
        return self.source.name

    async def run(self, stop: asyncio.Event) -> None:
        """Poll now, then every ``interval`` seconds, until ``stop`` is set."""
        self.status.running = True
        try:
            while not stop.is_set():
                wait = self.interval
                try:
                    await self.poll_once()
                except RateLimited as exc:
                    wait = max(wait, exc.retry_after)
                    self._failed(f"rate limited for {exc.retry_after:.0f} s")
                except SocialbotError as exc:
                    self._failed(exc.user_message())
                except TimeoutError:
                    self._failed(f"no answer within {POLL_TIMEOUT:.0f} s")
                except Exception as exc:
                    log.exception("%s: poll failed", self.name)
                    self.status.last_error = f"{type(exc).__name__}: {exc}"
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=wait)
        finally:
            self.status.running = False

    async def poll_once(self) -> int:
        """One poll: fetch, store, then save the cursor; returns how many mentions were new."""
        cursor = await asyncio.to_thread(self._store.get_cursor, self.name)
        result = await asyncio.wait_for(self.source.poll(cursor), timeout=POLL_TIMEOUT)
        accepted = await self._intake.accept(result.mentions)
        if result.cursor is not None and result.cursor != cursor:
            await asyncio.to_thread(self._store.set_cursor, self.name, result.cursor)
        self.status.polls += 1
        self.status.mentions += accepted.new
        self.status.last_success = self._clock()
        self.status.last_error = ""
        if accepted.new:
            log.info("%s: %d new mention(s)", self.name, accepted.new)
        return accepted.new

    def _failed(self, reason: str) -> None:
        self.status.last_error = reason
        log.warning("%s: poll failed: %s", self.name, reason)

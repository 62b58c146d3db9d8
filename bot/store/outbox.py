"""The outbox sender: delivers approved replies and hides, at most once, with retries.

For each item it holds a lease on: if the previous attempt's outcome is unknown (the worker
died mid-call, or the call timed out), ask the platform whether a reply with the item's
idempotency key exists (``find_sent``) before anything else; then commit a new attempt, call
the platform with the idempotency key, and record the platform's id. A refusal is retried with
exponential back-off, up to ``max_attempts``; then the mention is ``failed`` and a person
looks again.

When the outcome is in doubt and the platform cannot be asked, a person decides instead of a
second post: the adapter raised ``DeliveryUnknown`` (it already checked what it could), or
the sender says ``can_find_sent = False`` (Telegram's Bot API cannot list what a bot sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import Mention, Platform
from bot.errors import ConfigError, DeliveryUnknown, PlatformError, RateLimited, StoreError
from bot.store.port import PlatformSender, Store
from bot.store.records import (
    AttemptOutcome,
    Clock,
    OutboxAction,
    OutboxItem,
    describe_key,
    utc_now,
)

log = logging.getLogger(__name__)

_IN_DOUBT = "the reply may have been posted; look on the platform before sending it again"


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt n+1 after n failed ones: base · 2^(n−1), capped, with jitter."""

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=30)
    jitter: float = 0.2  # up to +20%, so replicas do not retry in step

    def delay(self, failed_attempts: int) -> timedelta:
        exponent = max(failed_attempts - 1, 0)
        seconds = min(self.base.total_seconds() * 2**exponent, self.cap.total_seconds())
        return timedelta(seconds=seconds * (1 + random.random() * self.jitter))


class OutboxSender:
    def __init__(
        self,
        store: Store,
        senders: Mapping[Platform, PlatformSender],
        *,
        worker_id: str | None = None,
        clock: Clock = utc_now,
        lease: timedelta = timedelta(minutes=2),
        batch: int = 10,
        max_attempts: int = 8,
        backoff: Backoff | None = None,
        call_timeout: float = 60.0,
    ) -> None:
        """``lease`` must be longer than ``call_timeout``: the lease is renewed when an attempt
        starts, and an item whose lease ran out mid-call could be claimed by another worker."""
        if lease.total_seconds() <= call_timeout:
            raise ConfigError(
                "outbox lease", f"must be longer than the call timeout ({call_timeout} s)"
            )
        self.store = store
        self.senders = dict(senders)
        self.worker_id = worker_id or default_worker_id()
        self.clock = clock
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts
        self.backoff = backoff or Backoff()
        self.call_timeout = call_timeout

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 2.0) -> None:
        """Deliver until ``stop`` is set, looking again every ``idle_seconds`` when idle."""
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except StoreError as exc:  # database briefly unavailable: keep going
                log.error("outbox: %s", exc)
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)

    async def run_once(self) -> int:
        """Claim what is due and deliver it; returns how many items were claimed."""
        items = await asyncio.to_thread(
            self.store.claim_outbox, self.worker_id, lease=self.lease, limit=self.batch
        )
        for item in items:
            try:
                await self.deliver(item)
            except StoreError as exc:  # e.g. LeaseLost: another worker has it now
                log.warning("outbox item %s: %s", item.id, exc)
        return len(items)

    async def drain(self, *, max_rounds: int = 1000) -> None:
        """Deliver everything due now (for the CLI and tests)."""
        for _ in range(max_rounds):
            if not await self.run_once():
                return

    async def deliver(self, item: OutboxItem) -> None:
        record = await asyncio.to_thread(self.store.get, item.key)
        if record is None:
            await self._failed(item, f"the mention {describe_key(item.key)} is not stored")
            return
        mention = record.mention
        sender = self.senders.get(mention.platform)
        if sender is None:
            await self._failed(item, f"no sender is configured for {mention.platform.value}")
            return
        if item.action is OutboxAction.REPLY and item.needs_reconcile:
            if not getattr(sender, "can_find_sent", True):
                await self._failed(item, _IN_DOUBT + f": {item.last_error or 'interrupted'}")
                return
            if await self._reconciled(item, sender, mention):
                return
        if item.attempts >= self.max_attempts:
            await self._failed(
                item, f"gave up after {item.attempts} attempts: {item.last_error or 'no reason'}"
            )
            return
        item = await asyncio.to_thread(
            self.store.start_attempt, item.id, self.worker_id, lease=self.lease
        )
        try:
            platform_id = await asyncio.wait_for(
                self._call(item, sender, mention), timeout=self.call_timeout
            )
        except RateLimited as exc:
            wait = max(timedelta(seconds=exc.retry_after), self.backoff.delay(item.attempts))
            await self._retry(item, str(exc), AttemptOutcome.ERROR, wait)
        except DeliveryUnknown as exc:
            await self._failed(item, f"{_IN_DOUBT}: {exc}", AttemptOutcome.UNKNOWN)
        except PlatformError as exc:
            if exc.retryable:
                await self._retry(item, str(exc), AttemptOutcome.ERROR)
            else:
                await self._failed(item, str(exc), AttemptOutcome.ERROR)
        except Exception as exc:
            # Timeout, connection lost, a bug in the adapter: it may have been delivered.
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            await self._retry(item, reason, AttemptOutcome.UNKNOWN)
        else:
            await asyncio.to_thread(self.store.record_sent, item.id, self.worker_id, platform_id)
            log.info("outbox item %s delivered (%s)", item.id, platform_id or item.action.value)

    async def _call(self, item: OutboxItem, sender: PlatformSender, mention: Mention) -> str:
        if item.action is OutboxAction.REPLY:
            return await sender.send_reply(mention, item.text, item.idempotency_key)
        await sender.hide(mention)
        return ""

    async def _reconciled(
        self, item: OutboxItem, sender: PlatformSender, mention: Mention
    ) -> bool:
        """Ask the platform whether the interrupted attempt went through; True if settled."""
        try:
            found = await asyncio.wait_for(
                sender.find_sent(mention, item.idempotency_key), timeout=self.call_timeout
            )
        except PlatformError as exc:
            if exc.retryable:
                await self._retry(item, f"could not check the platform: {exc}")
            else:
                await self._failed(item, f"{_IN_DOUBT} (could not check: {exc})")
            return True
        except Exception as exc:
            await self._retry(item, f"could not check the platform: {type(exc).__name__}: {exc}")
            return True
        if found:
            await asyncio.to_thread(self.store.record_sent, item.id, self.worker_id, found)
            log.info("outbox item %s was already delivered (%s)", item.id, found)
            return True
        return False

    async def _retry(
        self,
        item: OutboxItem,
        error: str,
        outcome: AttemptOutcome | None = None,
        wait: timedelta | None = None,
    ) -> None:
        delay = wait if wait is not None else self.backoff.delay(max(item.attempts, 1))
        retry_at: datetime = self.clock() + delay
        log.warning("outbox item %s: %s; retrying at %s", item.id, error, retry_at.isoformat())
        await asyncio.to_thread(
            self.store.record_retry,
            item.id,
            self.worker_id,
            error=error,
            retry_at=retry_at,
            outcome=outcome,
        )

    async def _failed(
        self, item: OutboxItem, error: str, outcome: AttemptOutcome | None = None
    ) -> None:
        log.error("outbox item %s failed: %s", item.id, error)
        await asyncio.to_thread(
            self.store.record_failed, item.id, self.worker_id, error=error, outcome=outcome
        )

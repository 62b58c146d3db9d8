"""The outbox loop of the service: approved replies (and hides) go out, and Slack is told.

:class:`bot.store.outbox.OutboxSender` delivers one item at a time (leases, attempts
committed first, reconciliation, back-off). This loop claims what is due, hands each item to
it, then reads the item back: done or given up, the :class:`DeliveryListener` (the Slack card
desk) is told, so the card's thread says what was sent, or shows the error with a Retry button.
An item still pending (a retry is scheduled) is reported when it is settled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.errors import StoreError
from bot.review.service import DeliveryListener
from bot.store.outbox import OutboxSender
from bot.store.records import OutboxItem, OutboxStatus

log = logging.getLogger(__name__)


class DeliveryLoop:
    def __init__(
        self,
        sender: OutboxSender,
        listener: DeliveryListener | None = None,
        *,
        idle_seconds: float = 2.0,
    ) -> None:
        self.sender = sender
        self.listener = listener
        self.idle_seconds = idle_seconds
        self.delivered = 0
        self.given_up = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; the item in hand is finished first."""
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except StoreError as exc:  # the database is briefly unavailable: keep going
                log.error("outbox: %s", exc)
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.idle_seconds)

    async def run_once(self) -> int:
        """Claim what is due, deliver and report it; returns how many items were claimed."""
        store, worker = self.sender.store, self.sender.worker_id
        items = await asyncio.to_thread(
            store.claim_outbox, worker, lease=self.sender.lease, limit=self.sender.batch
        )
        for item in items:
            try:
                await self.sender.deliver(item)
            except StoreError as exc:  # e.g. LeaseLost: another worker has it now
                log.warning("outbox item %s: %s", item.id, exc)
                continue
            after = await asyncio.to_thread(store.outbox_item, item.id)
            await self._report(after)
        return len(items)

    async def _report(self, item: OutboxItem) -> None:
        if item.status is OutboxStatus.DONE:
            self.delivered += 1
        elif item.status is OutboxStatus.FAILED:
            self.given_up += 1
        else:
            return
        listener = self.listener
        if listener is None:
            return
        report = listener.delivered if item.status is OutboxStatus.DONE else listener.gave_up
        try:
            await asyncio.to_thread(report, item)
        except Exception:
            # The reply is out (or given up) whatever Slack hears; the card can lag behind.
            log.exception("could not tell Slack about outbox item %s", item.id)

"""Durable storage: mentions, triage, drafts, decisions, the outbox and small service state.

``open_store(settings)`` gives the configured :class:`~bot.store.port.Store`.
"""

from bot.store.factory import open_store
from bot.store.port import PlatformSender, Store

__all__ = ["PlatformSender", "Store", "open_store"]

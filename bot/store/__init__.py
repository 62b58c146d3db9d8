"""Durable storage: mentions, triage, drafts, decisions, the outbox and small service state.

``bot.store.factory.open_store(settings)`` gives the configured :class:`~bot.store.port.Store`.
"""

from bot.store.port import PlatformSender, Store

__all__ = ["PlatformSender", "Store"]

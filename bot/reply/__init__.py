"""Reply drafting: templates per intent and platform, filled in for one mention."""

from bot.reply.drafter import ReplyDrafter

__all__ = ["ReplyDrafter"]

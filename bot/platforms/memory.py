"""In-memory stand-ins for the platform interfaces, for tests and dry runs of other parts.

``MemorySource`` hands out mentions it is given, with an index cursor; ``MemorySender``
records replies and hides instead of posting, and remembers them for ``find_sent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import Mention, Platform
from bot.errors import PlatformError
from bot.platforms.base import PollResult


class MemorySource:
    def __init__(self, name: str, mentions: list[Mention] | None = None) -> None:
        self.name = name
        self.mentions: list[Mention] = list(mentions or [])

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)

    async def poll(self, cursor: str | None) -> PollResult:
        start = int(cursor) if cursor else 0
        return PollResult(self.mentions[start:], str(len(self.mentions)))


@dataclass(frozen=True)
class SentReply:
    mention: Mention
    text: str
    idempotency_key: str
    reply_id: str


@dataclass
class MemorySender:
    platform: Platform
    sent: list[SentReply] = field(default_factory=list)
    hidden: list[Mention] = field(default_factory=list)
    #: Errors to raise on the next calls of send_reply, in order (to test failure handling).
    failures: list[Exception] = field(default_factory=list)

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        if self.failures:
            raise self.failures.pop(0)
        if not self.platform.answerable:
            raise PlatformError(self.platform.value, "we never reply on this platform")
        reply_id = f"{self.platform.value}-{len(self.sent) + 1}"
        reply = SentReply(mention, text, idempotency_key, reply_id)
        self.sent.append(reply)
        return reply.reply_id

    async def hide(self, mention: Mention) -> None:
        if mention not in self.hidden:
            self.hidden.append(mention)

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        for reply in self.sent:
            if reply.mention.key == mention.key and reply.idempotency_key == idempotency_key:
                return reply.reply_id
        return None

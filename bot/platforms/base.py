"""The interfaces between the bot and the platforms: sources of mentions and senders of replies.

No I/O here. Conventions every adapter follows when it turns a platform payload into a
``Mention``:

- ``id`` is the platform's id of the message (Telegram's message ids are only unique inside
  one chat, so there it is ``"<chat_id>:<message_id>"``);
- ``account`` is our side: the X user id, the Facebook Page id, the Telegram bot username,
  the Flickr user id or the YouTube channel id;
- ``in_reply_to`` is the platform id of what the message answers; for a direct message it is
  the conversation a reply goes into when the platform needs one (X's dm_conversation_id);
- ``created_at`` is timezone-aware (UTC).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from bot.domain import Mention, Platform


@dataclass(frozen=True)
class PollResult:
    """What one poll found, oldest first, and the cursor to pass to the next poll.

    The caller stores ``cursor`` only after it has stored ``mentions``: a restart then neither
    misses a mention nor fetches one twice. ``cursor`` is opaque to the caller.
    """

    mentions: list[Mention] = field(default_factory=list)
    cursor: str | None = None


@runtime_checkable
class ReplySender(Protocol):
    """Sends approved replies back to one platform. Only answerable platforms have one."""

    @property
    def platform(self) -> Platform: ...

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        """Post ``text`` as a reply to ``mention``; return the platform's id of the reply."""
        ...

    async def hide(self, mention: Mention) -> None:
        """Hide the mention from public view (moderation); PlatformError where impossible."""
        ...

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        """After a crash: the id of our reply to ``mention`` if it is already posted.

        None when there is none, or when the platform cannot tell.
        """
        ...


@runtime_checkable
class PollingSource(Protocol):
    """A platform (or a file) the bot asks for new mentions now and then.

    Platform sources also have a ``platform`` attribute; a file source may mix platforms.
    """

    @property
    def name(self) -> str:
        """Stable key the caller stores this source's cursor under, e.g. 'twitter:mentions'."""
        ...

    async def poll(self, cursor: str | None) -> PollResult: ...


#: Where a webhook hands the mentions it received; the webhook answers the platform with
#: success only after this returns, so a failure makes the platform deliver again.
MentionSink = Callable[[list[Mention]], Awaitable[None]]

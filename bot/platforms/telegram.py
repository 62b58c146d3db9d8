"""Telegram, through python-telegram-bot: direct messages to our bot, and messages in groups
or channels the bot is in that mention it or reply to it (other group chatter is ignored).

Polling (getUpdates, the update offset as cursor) by default; a webhook with Telegram's
``X-Telegram-Bot-Api-Secret-Token`` header checked is the alternative. In groups the bot
only hears @mentions when BotFather's privacy mode is off or the bot is an admin.

Telegram message ids are unique only inside one chat, so ``Mention.id`` is
``"<chat_id>:<message_id>"``; a reply goes to that chat as a reply to that message.

Environment: ``TELEGRAM_BOT_TOKEN``; ``TELEGRAM_API_URL`` (PTB's ``base_url``, default
``https://api.telegram.org/bot``; the token is appended to it).
"""

from __future__ import annotations

import hmac
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from aiohttp import web
from telegram import Bot, Message, MessageEntity, ReplyParameters, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.domain import Author, Kind, Mention, Platform
from bot.errors import PlatformError
from bot.platforms.base import MentionSink, PollResult
from bot.platforms.redact import protect_logs
from bot.platforms.retry import RetryPolicy, TryAgain, retrying
from bot.platforms.webhook import hand_over, refuse

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_API_URL = "https://api.telegram.org/bot"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Only new messages: edits, reactions, polls and the like are not mentions.
ALLOWED_UPDATES = ("message", "channel_post")
_PLATFORM = Platform.TELEGRAM.value
_MENTION_ENTITIES: list[str | None] = [
    MessageEntity.MENTION, MessageEntity.TEXT_MENTION, MessageEntity.BOT_COMMAND,
]


@dataclass(frozen=True)
class BotIdentity:
    """Who our bot is, from getMe: what mentions and replies to it are recognised by."""

    id: int
    username: str


class MalformedUpdate(ValueError):
    """An update we cannot turn into a mention; logged and skipped."""


# --------------------------------------------------------------------------- parsing (pure)


def mention_from_update(update: Update, me: BotIdentity) -> Mention | None:
    """The mention in ``update``, or None when it is not addressed to our bot."""
    message = update.message or update.channel_post
    if message is None:
        return None
    chat = message.chat
    if message.from_user is not None and message.from_user.id == me.id:
        return None  # our own message
    replied = message.reply_to_message
    if chat.type == chat.PRIVATE:
        kind = Kind.DM
        if _text(message).strip().lower() == "/start":
            return None  # Telegram sends this when someone opens the chat; it says nothing yet
    elif replied is not None and replied.from_user is not None and replied.from_user.id == me.id:
        kind = Kind.REPLY
    elif _mentions(message, me):
        kind = Kind.MENTION
    else:
        return None
    if message.date is None:
        raise MalformedUpdate(f"update {update.update_id}: message has no date")
    return Mention(
        id=f"{chat.id}:{message.message_id}",
        platform=Platform.TELEGRAM,
        kind=kind,
        author=_author(message),
        text=_text(message),
        created_at=message.date,
        account=me.username,
        url=_link(message),
        in_reply_to=f"{chat.id}:{replied.message_id}" if replied is not None else "",
    )


def parse_update(data: Any, me: BotIdentity) -> Mention | None:
    """``mention_from_update`` for raw JSON (a webhook body); MalformedUpdate if unreadable."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise MalformedUpdate("not an update object with an update_id")
    try:
        update = Update.de_json(data, None)
    except Exception as exc:  # PTB raises whatever its constructors raise on bad input
        reason = f"update {data.get('update_id')}: {type(exc).__name__}: {exc}"
        raise MalformedUpdate(reason) from exc
    return mention_from_update(update, me)


def mentions_from_updates(updates: Iterable[Update], me: BotIdentity) -> list[Mention]:
    """The mentions among ``updates``; unreadable ones are logged and skipped."""
    mentions: list[Mention] = []
    for update in updates:
        try:
            mention = mention_from_update(update, me)
        except (MalformedUpdate, ValueError) as exc:
            log.warning("telegram: skipped update %s: %s", update.update_id, exc)
            continue
        if mention is not None:
            mentions.append(mention)
    return mentions


def verify_secret(headers: Mapping[str, str], expected: str) -> bool:
    """Whether the webhook request carries our secret token (constant-time comparison)."""
    given = headers.get(SECRET_HEADER, "")
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def parse_webhook(body: bytes, me: BotIdentity) -> list[Mention]:
    """The mentions in one webhook delivery (one update); a malformed body is logged, gives []."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("telegram webhook: skipped a body that is not JSON: %s", exc)
        return []
    try:
        mention = parse_update(data, me)
    except MalformedUpdate as exc:
        log.warning("telegram webhook: skipped a malformed update: %s", exc)
        return []
    return [mention] if mention is not None else []


def _text(message: Message) -> str:
    if message.text is not None:
        return message.text
    if message.caption is not None:
        return message.caption
    # A photo or voice note with no words is still someone writing to us: keep it visible.
    for attachment in ("photo", "video", "voice", "audio", "document", "sticker", "location"):
        if getattr(message, attachment, None):
            return f"[{attachment}]"
    return "[message without text]"


def _link(message: Message) -> str:
    # PTB appends "?thread=<id>" to replies even outside forum topics, where the id is None.
    return (message.link or "").replace("?thread=None", "")


def _mentions(message: Message, me: BotIdentity) -> bool:
    handle = f"@{me.username}".lower()
    found = {**message.parse_entities(_MENTION_ENTITIES),
             **message.parse_caption_entities(_MENTION_ENTITIES)}
    for entity, text in found.items():
        if entity.type == MessageEntity.TEXT_MENTION:
            if entity.user is not None and entity.user.id == me.id:
                return True
        elif entity.type == MessageEntity.MENTION:
            if text.lower() == handle:
                return True
        elif text.lower().endswith(handle):  # /help@our_bot
            return True
    return False


def _author(message: Message) -> Author:
    user = message.from_user
    if user is not None:
        handle = f"@{user.username}" if user.username else str(user.id)
        return Author(handle=handle, name=user.full_name)
    chat = message.sender_chat or message.chat
    handle = f"@{chat.username}" if chat.username else str(chat.id)
    return Author(handle=handle, name=chat.title or chat.full_name or "")


def _split_id(mention: Mention) -> tuple[int, int]:
    chat, _, message = mention.id.rpartition(":")
    try:
        return int(chat), int(message)
    except ValueError as exc:
        raise PlatformError(
            _PLATFORM, f"mention id '{mention.id}' is not '<chat_id>:<message_id>'"
        ) from exc


# --------------------------------------------------------------------------- transport


class _UpdatesRequest(HTTPXRequest):
    """The getUpdates transport. It sets aside updates PTB cannot read, so that one bad
    update cannot make the whole batch fail (and, never confirmed, block every later one)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_aside: list[tuple[object, str]] = []
        self.highest_id: int | None = None

    def reset(self) -> None:
        self.set_aside = []
        self.highest_id = None

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data: dict[str, Any] = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, list):
            return data
        readable: list[Any] = []
        for item in result:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if isinstance(update_id, int):
                self.highest_id = max(update_id, self.highest_id or update_id)
            try:
                Update.de_json(item, None)
            except Exception as exc:
                self.set_aside.append((update_id, f"{type(exc).__name__}: {exc}"))
                continue
            readable.append(item)
        data["result"] = readable
        return data


def _retry_after(exc: RetryAfter) -> float:
    # PTB 22 returns an int and warns that a future version returns a timedelta: take both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _classified(call: Callable[[], Awaitable[T]], *, sending: bool) -> T:
    """Run a PTB call, turning its errors into TryAgain / PlatformError."""
    try:
        return await call()
    except RetryAfter as exc:
        raise TryAgain("rate limited (429)", wait=_retry_after(exc)) from exc
    except InvalidToken as exc:
        # PTB's message for this one quotes the token itself.
        raise PlatformError(_PLATFORM, "TELEGRAM_BOT_TOKEN was rejected by Telegram") from exc
    except (BadRequest, Forbidden, Conflict, ChatMigrated) as exc:
        raise PlatformError(_PLATFORM, protect_logs().redact(exc.message)) from exc
    except TimedOut as exc:
        never_sent = isinstance(exc.__cause__, (httpx.ConnectTimeout, httpx.PoolTimeout))
        raise TryAgain(
            "timed out", maybe_done=sending and not never_sent, answered=False
        ) from exc
    except NetworkError as exc:
        cause = exc.__cause__
        if isinstance(cause, httpx.ConnectError):
            raise TryAgain("cannot reach the API") from exc
        reason = protect_logs().redact(exc.message)
        if isinstance(cause, httpx.TransportError):
            raise TryAgain(reason, maybe_done=sending, answered=False) from exc
        raise TryAgain(reason, maybe_done=sending) from exc  # a 5xx or 429 without retry_after
    except TelegramError as exc:
        raise PlatformError(_PLATFORM, protect_logs().redact(exc.message)) from exc


# --------------------------------------------------------------------------- the adapter


class TelegramAdapter:
    """Polling source and reply sender for one Telegram bot."""

    platform = Platform.TELEGRAM
    name = "telegram"
    #: For the outbox: a send whose outcome is in doubt goes to a person (see find_sent).
    can_find_sent = False

    def __init__(
        self,
        token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        long_poll_seconds: int = 0,
        timeout: float = 20.0,
    ) -> None:
        protect_logs(token)
        self.policy = policy or RetryPolicy()
        self.long_poll_seconds = long_poll_seconds
        self._updates_request = _UpdatesRequest(
            connection_pool_size=1, read_timeout=timeout, connect_timeout=timeout
        )
        self._bot = Bot(
            token,
            base_url=api_url,
            request=HTTPXRequest(read_timeout=timeout, connect_timeout=timeout),
            get_updates_request=self._updates_request,
        )
        self._me: BotIdentity | None = None

    async def identity(self) -> BotIdentity:
        """Our bot's id and username (getMe), fetched once."""
        if self._me is None:
            await retrying(
                _PLATFORM, lambda: _classified(self._bot.initialize, sending=False), self.policy
            )
            self._me = BotIdentity(id=self._bot.id, username=self._bot.username)
        return self._me

    async def aclose(self) -> None:
        await self._bot.shutdown()

    # ------------------------------------------------------------------ source

    async def poll(self, cursor: str | None) -> PollResult:
        me = await self.identity()
        offset = int(cursor) if cursor else None
        request = self._updates_request

        async def fetch() -> tuple[Update, ...]:
            request.reset()
            return await self._bot.get_updates(
                offset=offset,
                timeout=self.long_poll_seconds,
                allowed_updates=list(ALLOWED_UPDATES),
            )

        updates = await retrying(
            _PLATFORM, lambda: _classified(fetch, sending=False), self.policy
        )
        for update_id, reason in request.set_aside:
            log.warning("telegram: skipped unreadable update %s: %s", update_id, reason)
        highest = max(
            [u.update_id for u in updates]
            + ([request.highest_id] if request.highest_id is not None else [])
            + ([offset - 1] if offset is not None else []),
            default=None,
        )
        next_cursor = str(highest + 1) if highest is not None else cursor
        return PollResult(mentions_from_updates(updates, me), next_cursor)

    # ------------------------------------------------------------------ sender

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        chat_id, message_id = _split_id(mention)

        async def send() -> Message:
            return await self._bot.send_message(
                chat_id=chat_id,
                text=text,
                reply_parameters=ReplyParameters(
                    message_id=message_id, allow_sending_without_reply=True
                ),
            )

        # No already_done: the Bot API cannot list what a bot has sent (see find_sent), so a
        # send that may have gone through stops with DeliveryUnknown instead of a second try.
        sent = await retrying(_PLATFORM, lambda: _classified(send, sending=True), self.policy)
        return f"{chat_id}:{sent.message_id}"

    async def hide(self, mention: Mention) -> None:
        raise PlatformError(
            _PLATFORM,
            "Telegram has no way to hide a message; in a group an admin can delete it, "
            "in a direct chat it cannot be removed for the sender",
        )

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        # The Bot API offers no way for a bot to read chat history or its own sent messages
        # (only updates addressed to it), so we cannot tell whether a reply went out.
        return None

    # ------------------------------------------------------------------ webhook mode

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to POST updates to ``url`` with ``secret`` in the secret header."""
        await retrying(
            _PLATFORM,
            lambda: _classified(
                lambda: self._bot.set_webhook(
                    url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
                ),
                sending=False,
            ),
            self.policy,
        )

    async def delete_webhook(self) -> None:
        """Back to polling (getUpdates refuses to work while a webhook is set)."""
        await retrying(
            _PLATFORM,
            lambda: _classified(self._bot.delete_webhook, sending=False),
            self.policy,
        )


def telegram_webhook_app(me: BotIdentity, secret: str, sink: MentionSink) -> web.Application:
    """An aiohttp sub-application taking Telegram webhook POSTs at its root."""

    async def receive(request: web.Request) -> web.Response:
        if not verify_secret(request.headers, secret):
            return refuse(Platform.TELEGRAM, request, f"wrong or missing {SECRET_HEADER}")
        body = await request.read()
        return await hand_over(Platform.TELEGRAM, parse_webhook(body, me), sink)

    app = web.Application()
    app.router.add_post("/", receive)
    return app

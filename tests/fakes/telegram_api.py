"""A fake Telegram Bot API: python-telegram-bot's own HTTP requests hit it on 127.0.0.1.

Serves ``/bot<token>/<method>`` for getMe, getUpdates (offset confirms earlier updates, as
Telegram does), sendMessage, setWebhook, deleteWebhook and getWebhookInfo. Parameters are
read the way PTB sends them (form-encoded, non-string values JSON-encoded) or as a JSON body.

Test API: ``private_message`` / ``group_message`` / ``push_update`` queue inbound updates,
``sent`` lists what the bot posted, ``deliver`` POSTs an update to the registered webhook
(with the secret header) the way Telegram would, ``flood`` makes the next calls answer 429.

For an end-to-end test: ``TELEGRAM_API_URL=fake.base_url`` and ``TELEGRAM_BOT_TOKEN=fake.token``.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from fakes.http_fake import FakeHttpServer, Reply, Request

_INT_PARAMS = frozenset({"chat_id", "offset", "limit", "timeout", "reply_to_message_id"})
_JSON_PARAMS = frozenset(
    {"reply_parameters", "allowed_updates", "entities", "reply_markup", "link_preview_options"}
)


@dataclass(frozen=True)
class SentMessage:
    chat_id: int | str
    message_id: int
    text: str
    reply_to_message_id: int | None


def _error(status: int, description: str, **parameters: Any) -> Reply:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Reply(status, body)


class FakeTelegramApi(FakeHttpServer):
    def __init__(
        self,
        token: str = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmno",
        bot_username: str = "westkent_help_bot",
    ) -> None:
        super().__init__()
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "West Kent Help",
            "username": bot_username,
        }
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(500_000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self.sent: list[SentMessage] = []
        self.webhook_url = ""
        self.webhook_secret = ""

    def prefix(self) -> str:
        return "/bot"

    # ----------------------------------------------------------------- inbound
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for getUpdates (given an update_id if it has none); returns it."""
        with self.lock:
            update = self._register(update)
            self._updates.append(update)
            return update

    def _register(self, update: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            update = dict(update)
            update.setdefault("update_id", next(self._update_ids))
            message = update.get("message") or update.get("channel_post")
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                chat = message["chat"]
                if isinstance(chat.get("id"), int) and isinstance(message.get("message_id"), int):
                    self._chats[chat["id"]] = chat
                    self._messages[(chat["id"], message["message_id"])] = message
            return update

    def private_message(
        self,
        text: str,
        *,
        user_id: int = 7_000_001,
        username: str | None = "jane_tenant",
        first_name: str = "Jane",
        last_name: str = "Tenant",
        date: int | None = None,
        queue: bool = True,
    ) -> dict[str, Any]:
        """A person writes to the bot in a direct chat; returns the message.

        Queued for getUpdates unless ``queue`` is False (wrap it in an update for ``deliver``).
        """
        user = self._user(user_id, first_name, last_name, username)
        chat = {k: v for k, v in user.items() if k not in ("is_bot", "language_code")}
        chat["type"] = "private"
        message = self._message(chat, user, text, date)
        if queue:
            self.push_update({"message": message})
        return message

    def group_message(
        self,
        text: str,
        *,
        chat_id: int = -1_001_234_567_890,
        chat_title: str = "Tonbridge Estate Residents",
        chat_username: str | None = "tonbridge_residents",
        user_id: int = 7_000_002,
        username: str | None = "bob_resident",
        first_name: str = "Bob",
        reply_to: dict[str, Any] | None = None,
        date: int | None = None,
        queue: bool = True,
    ) -> dict[str, Any]:
        """A message in a group the bot is in; '@<bot>' in ``text`` becomes a mention entity."""
        chat: dict[str, Any] = {"id": chat_id, "title": chat_title, "type": "supergroup"}
        if chat_username:
            chat["username"] = chat_username
        user = self._user(user_id, first_name, "", username)
        message = self._message(chat, user, text, date)
        handle = "@" + str(self.bot_user["username"])
        at = text.find(handle)
        if at >= 0:
            offset = len(text[:at].encode("utf-16-le")) // 2
            message["entities"] = [{"offset": offset, "length": len(handle), "type": "mention"}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if queue:
            self.push_update({"message": message})
        return message

    def bot_message(self, chat_id: int, text: str) -> dict[str, Any]:
        """A message the bot posted earlier in a chat (something people can reply to)."""
        with self.lock:
            chat = self._chats.get(chat_id, {"id": chat_id, "type": "supergroup", "title": "Group"})
            message = self._message(chat, dict(self.bot_user), text, None)
            self._messages[(chat_id, message["message_id"])] = message
            return message

    # ----------------------------------------------------------------- webhook
    def deliver(self, update: dict[str, Any], *, secret: str | None = None) -> int:
        """POST ``update`` to the registered webhook as Telegram does; returns the HTTP status.

        Blocking: from an async test call it through ``asyncio.to_thread``.
        """
        update = self._register(update)
        with self.lock:
            url, header = self.webhook_url, self.webhook_secret if secret is None else secret
        if not url:
            raise AssertionError("no webhook registered: call setWebhook first")
        request = urllib.request.Request(
            url, data=json.dumps(update).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        if header:
            request.add_header("X-Telegram-Bot-Api-Secret-Token", header)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def flood(self, method: str = "sendMessage", *, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer 429 as Telegram does."""
        self.fail(
            f"/{method}", 429, times=times,
            headers={"Retry-After": str(retry_after)},
            body={
                "ok": False, "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            },
        )

    # ----------------------------------------------------------------- API
    def handle(self, request: Request) -> Reply:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return _error(401, "Unauthorized")
        method = request.path[len(prefix) :].lower()
        params = self._decode(request.params())
        handler = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
        }.get(method)
        if handler is None:
            return _error(404, "Not Found")
        return handler(params)

    def _get_me(self, params: dict[str, Any]) -> Reply:
        return Reply(200, {"ok": True, "result": {**self.bot_user, "can_join_groups": True}})

    def _get_updates(self, params: dict[str, Any]) -> Reply:
        if self.webhook_url:
            return _error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int):
            self._updates = [u for u in self._updates if u.get("update_id", 0) >= offset]
        limit = params.get("limit") if isinstance(params.get("limit"), int) else 100
        return Reply(200, {"ok": True, "result": self._updates[:limit]})

    def _send_message(self, params: dict[str, Any]) -> Reply:
        chat_id = params.get("chat_id")
        text = params.get("text")
        if not text:
            return _error(400, "Bad Request: message text is empty")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            return _error(400, "Bad Request: chat not found")
        reply_to: int | None = params.get("reply_to_message_id")
        allow_without = False
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id")
            allow_without = bool(reply_parameters.get("allow_sending_without_reply"))
        original = self._messages.get((chat_id, reply_to)) if reply_to is not None else None
        if reply_to is not None and original is None and not allow_without:
            return _error(400, "Bad Request: message to be replied not found")
        message = self._message(self._chats[chat_id], dict(self.bot_user), str(text), None)
        if original is not None:
            message["reply_to_message"] = original
        self._messages[(chat_id, message["message_id"])] = message
        self.sent.append(SentMessage(chat_id, message["message_id"], str(text), reply_to))
        return Reply(200, {"ok": True, "result": message})

    def _set_webhook(self, params: dict[str, Any]) -> Reply:
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = str(params.get("secret_token") or "")
        return Reply(200, {"ok": True, "result": True, "description": "Webhook was set"})

    def _delete_webhook(self, params: dict[str, Any]) -> Reply:
        self.webhook_url = self.webhook_secret = ""
        return Reply(200, {"ok": True, "result": True, "description": "Webhook was deleted"})

    def _get_webhook_info(self, params: dict[str, Any]) -> Reply:
        info = {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}
        return Reply(200, {"ok": True, "result": info})

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _decode(raw: dict[str, str]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in _INT_PARAMS and value.lstrip("-").isdigit():
                params[key] = int(value)
            elif key in _JSON_PARAMS:
                params[key] = json.loads(value)
            else:
                params[key] = value
        return params

    @staticmethod
    def _user(user_id: int, first: str, last: str, username: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first}
        if last:
            user["last_name"] = last
        if username:
            user["username"] = username
        user["language_code"] = "en"
        return user

    def _message(
        self, chat: dict[str, Any], sender: dict[str, Any], text: str, date: int | None
    ) -> dict[str, Any]:
        with self.lock:
            counter = self._message_ids.setdefault(chat["id"], itertools.count(100))
            self._chats.setdefault(chat["id"], chat)
            return {
                "message_id": next(counter),
                "from": sender,
                "chat": chat,
                "date": date if date is not None else int(time.time()),
                "text": text,
            }

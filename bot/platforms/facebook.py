"""Facebook Page, Graph API over httpx: comments on the Page's posts and Messenger messages.

Both arrive by webhook. The pure functions here check a request (``verify_subscription`` for
Facebook's GET handshake, ``verify_signature`` for the ``X-Hub-Signature-256`` HMAC of the
raw body) and read its payload (``parse_webhook``); ``facebook_webhook_app`` wraps them in an
aiohttp sub-application. The Page's own comments and Messenger echoes are ignored.

A comment's ``in_reply_to`` is what it was left under (the post, or the comment it answers);
a Messenger message's author handle is the sender's page-scoped id, which is what a reply is
addressed to. Environment: ``FACEBOOK_PAGE_TOKEN``, ``FACEBOOK_APP_SECRET``,
``FACEBOOK_VERIFY_TOKEN``, ``FACEBOOK_API_URL`` (default https://graph.facebook.com/v21.0).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from aiohttp import web

from bot.domain import Author, Kind, Mention, Platform
from bot.errors import DeliveryUnknown, PlatformError
from bot.platforms.base import MentionSink
from bot.platforms.jsonapi import JsonApi
from bot.platforms.redact import protect_logs
from bot.platforms.retry import RetryPolicy, TryAgain
from bot.platforms.webhook import hand_over, refuse

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
_PLATFORM = Platform.FACEBOOK.value
#: Graph error codes that mean "slow down" or "try again later" (sent with HTTP 400/403/500).
_TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, 80001})


class MalformedEvent(ValueError):
    """A webhook change or messaging event we cannot read; logged and skipped."""


# --------------------------------------------------------------------------- verification


def verify_subscription(query: Mapping[str, str], verify_token: str) -> str | None:
    """The ``hub.challenge`` to echo if Facebook's subscription handshake is ours, else None."""
    if query.get("hub.mode") != "subscribe" or not verify_token:
        return None
    given = query.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    challenge = query.get("hub.challenge")
    return challenge if challenge else None


def signature_for(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` value Facebook sends with ``body``."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether ``header`` is the HMAC-SHA256 of the raw ``body`` with our app secret."""
    if not header or not app_secret or not header.startswith("sha256="):
        return False
    expected = signature_for(body, app_secret)
    return hmac.compare_digest(header.strip().lower().encode("ascii", "replace"),
                               expected.encode("ascii"))


# --------------------------------------------------------------------------- parsing (pure)


def parse_webhook(body: bytes | Any, page_id: str) -> list[Mention]:
    """The mentions in one webhook delivery. Anything unreadable is logged and skipped."""
    if isinstance(body, bytes | bytearray):
        try:
            body = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("facebook webhook: skipped a body that is not JSON: %s", exc)
            return []
    if not isinstance(body, dict) or body.get("object") != "page":
        log.warning("facebook webhook: skipped a delivery that is not about a Page")
        return []
    entries = body.get("entry")
    mentions: list[Mention] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            log.warning("facebook webhook: skipped an entry that is not an object")
            continue
        page = str(entry.get("id") or page_id)
        ours = {page, page_id}
        events: list[tuple[str, Any]] = [("change", c) for c in _list(entry, "changes")]
        events += [("messaging", m) for m in _list(entry, "messaging")]
        for what, event in events:
            try:
                mention = (
                    comment_to_mention(event, page, ours)
                    if what == "change"
                    else message_to_mention(event, page, ours)
                )
            except (MalformedEvent, ValueError) as exc:
                log.warning("facebook webhook: skipped a malformed %s: %s", what, exc)
                continue
            if mention is not None:
                mentions.append(mention)
    return mentions


def comment_to_mention(change: Any, page: str, ours: set[str]) -> Mention | None:
    """A Page feed change; None unless it is a new comment by someone other than the Page."""
    if not isinstance(change, dict):
        raise MalformedEvent("change is not an object")
    value = change.get("value")
    if change.get("field") != "feed" or not isinstance(value, dict):
        return None
    if value.get("item") != "comment" or value.get("verb") != "add":
        return None  # likes, edits, removals, posts, reactions
    comment_id = _required(value, "comment_id", "comment")
    author = value.get("from")
    if not isinstance(author, dict) or not author.get("id"):
        raise MalformedEvent(f"comment {comment_id} has no 'from'")
    if str(author["id"]) in ours:
        return None  # the Page's own comment (our replies among them)
    message = value.get("message")
    if not isinstance(message, str):
        message = "[comment without text]" if value.get("photo") or value.get("video") else ""
    post = value.get("post")
    permalink = post.get("permalink_url") if isinstance(post, dict) else None
    return Mention(
        id=comment_id,
        platform=Platform.FACEBOOK,
        kind=Kind.COMMENT,
        author=Author(handle=str(author["id"]), name=str(author.get("name") or "")),
        text=message,
        created_at=_moment(value.get("created_time"), f"comment {comment_id}"),
        account=page,
        url=f"https://www.facebook.com/{comment_id}" if not permalink else str(permalink),
        in_reply_to=str(value.get("parent_id") or value.get("post_id") or ""),
    )


def message_to_mention(event: Any, page: str, ours: set[str]) -> Mention | None:
    """A Messenger event; None unless it is a message someone sent to the Page."""
    if not isinstance(event, dict):
        raise MalformedEvent("messaging event is not an object")
    message = event.get("message")
    if message is None:
        return None  # deliveries, reads, postbacks, reactions
    if not isinstance(message, dict):
        raise MalformedEvent("'message' is not an object")
    if message.get("is_echo"):
        return None  # a copy of what the Page itself sent
    mid = _required(message, "mid", "message")
    sender = event.get("sender")
    if not isinstance(sender, dict) or not sender.get("id"):
        raise MalformedEvent(f"message {mid} has no sender")
    if str(sender["id"]) in ours:
        return None
    text = message.get("text")
    if not isinstance(text, str):
        kinds = [a.get("type", "attachment") for a in _list(message, "attachments")
                 if isinstance(a, dict)]
        text = f"[{', '.join(kinds)}]" if kinds else "[message without text]"
    reply_to = message.get("reply_to")
    return Mention(
        id=mid,
        platform=Platform.FACEBOOK,
        kind=Kind.DM,
        author=Author(handle=str(sender["id"])),
        text=text,
        created_at=_moment(event.get("timestamp"), f"message {mid}", millis=True),
        account=page,
        in_reply_to=str(reply_to.get("mid") or "") if isinstance(reply_to, dict) else "",
    )


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _required(obj: dict[str, Any], key: str, what: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        raise MalformedEvent(f"{what} has no {key}")
    return str(value)


def _moment(value: Any, what: str, *, millis: bool = False) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if millis else value, tz=UTC)
    if isinstance(value, str):
        try:  # Graph's own format: 2025-03-04T10:30:00+0000
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            pass
    raise MalformedEvent(f"{what} has no readable time ({value!r})")


# --------------------------------------------------------------------------- sender


def _graph_body_check(response: httpx.Response, body: Any) -> None:
    """Graph reports throttling and outages as error codes, often with HTTP 400 or 403."""
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code < 400 or not isinstance(error, dict):
        return
    if error.get("code") in _TRANSIENT_CODES or error.get("is_transient") is True:
        raise TryAgain(f"Graph error {error.get('code')}: {error.get('message', '')}")


class FacebookAdapter:
    """Reply sender for our Facebook Page (comments and Messenger)."""

    platform = Platform.FACEBOOK

    def __init__(
        self,
        page_id: str,
        page_token: str,
        *,
        app_secret: str = "",
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
    ) -> None:
        protect_logs(page_token, app_secret)
        self.page_id = page_id
        params: dict[str, str] = {}
        if app_secret:
            # Needed when the app requires it; harmless otherwise.
            proof = hmac.new(app_secret.encode(), page_token.encode(), hashlib.sha256)
            params["appsecret_proof"] = proof.hexdigest()
        self._api = JsonApi(
            _PLATFORM, api_url,
            headers={"Authorization": f"Bearer {page_token}"},
            params=params, policy=policy, body_check=_graph_body_check,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        if mention.kind is Kind.DM:
            # No already_done: see find_sent. An unclear failure stops with DeliveryUnknown.
            body = await self._api.call(
                "POST", "/me/messages",
                json={
                    "recipient": {"id": mention.author.handle},
                    "messaging_type": "RESPONSE",
                    "message": {"text": text},
                },
                idempotent=False,
            )
            return _field(body, "message_id", "POST /me/messages")

        async def already_posted() -> dict[str, Any] | None:
            found = await self.find_sent(mention, idempotency_key)
            return None if found is None else {"id": found}  # as the POST answers

        body = await self._api.call(
            "POST", f"/{mention.id}/comments",
            data={"message": text}, idempotent=False, already_done=already_posted,
        )
        return _field(body, "id", f"POST /{mention.id}/comments")

    async def hide(self, mention: Mention) -> None:
        if mention.kind is Kind.DM:
            raise PlatformError(_PLATFORM, "a Messenger message cannot be hidden, only a comment")
        body = await self._api.call("POST", f"/{mention.id}", data={"is_hidden": "true"})
        if not (isinstance(body, dict) and body.get("success") is True):
            raise PlatformError(_PLATFORM, f"Facebook did not confirm hiding comment {mention.id}")

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        """Our reply to a comment: a comment by the Page under it (we send at most one).

        Messenger: the conversation does not say which message a reply of ours answers, and a
        later one of ours may answer a different message, so we cannot tell. That raises
        DeliveryUnknown rather than returning None, which would mean "not sent" and have the
        outbox send it again.
        """
        if mention.kind is Kind.DM:
            raise DeliveryUnknown(
                _PLATFORM, "Facebook cannot tell whether a Messenger reply went out; look in "
                "the Page inbox before sending it again",
            )
        body = await self._api.call(
            "GET", f"/{mention.id}/comments",
            params={"fields": "id,from,created_time", "limit": 100, "filter": "stream"},
        )
        for comment in _list(body, "data") if isinstance(body, dict) else []:
            author = comment.get("from") if isinstance(comment, dict) else None
            if isinstance(author, dict) and str(author.get("id")) == self.page_id:
                return str(comment["id"])
        return None


def _field(body: Any, key: str, call: str) -> str:
    value = body.get(key) if isinstance(body, dict) else None
    if not value:
        raise PlatformError(_PLATFORM, f"{call} answered without '{key}'")
    return str(value)


# --------------------------------------------------------------------------- webhook app


def facebook_webhook_app(
    *, app_secret: str, verify_token: str, page_id: str, sink: MentionSink
) -> web.Application:
    """An aiohttp sub-application for the Page webhook at its root (GET handshake, POST events)."""

    async def handshake(request: web.Request) -> web.Response:
        challenge = verify_subscription(request.query, verify_token)
        if challenge is None:
            return refuse(Platform.FACEBOOK, request, "subscription handshake did not match")
        return web.Response(text=challenge)

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()  # the raw bytes: the signature is over exactly these
        if not verify_signature(body, request.headers.get(SIGNATURE_HEADER), app_secret):
            return refuse(Platform.FACEBOOK, request, f"bad or missing {SIGNATURE_HEADER}")
        return await hand_over(Platform.FACEBOOK, parse_webhook(body, page_id), sink)

    app = web.Application()
    app.router.add_get("/", handshake)
    app.router.add_post("/", receive)
    return app

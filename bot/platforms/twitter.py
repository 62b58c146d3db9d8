"""X (Twitter), API v2 over httpx: mentions of our account, optionally direct messages.

Reading uses the app's bearer token (``X_BEARER_TOKEN``); posting, hiding and direct
messages need a user-context OAuth 2.0 token of our account (``X_USER_ACCESS_TOKEN``).
``X_API_URL`` defaults to https://api.x.com.

Mentions are polled with ``since_id`` as the cursor, following ``meta.next_token`` pages.
The first poll (no cursor yet) takes only the newest page: switching the bot on does not
pull in months of old mentions. Direct messages (``GET /2/dm_events``) have no since_id, so
their cursor is the newest event id seen and paging stops when it is reached.

A direct message's ``in_reply_to`` is its dm_conversation_id ("<id>-<id>"), which is where
the reply goes and says who the other participant is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from bot.domain import Author, Kind, Mention, Platform
from bot.errors import DeliveryUnknown, PlatformError
from bot.platforms.base import PollResult
from bot.platforms.jsonapi import JsonApi
from bot.platforms.redact import protect_logs
from bot.platforms.retry import RetryPolicy

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.x.com"
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets"
DM_FIELDS = "id,text,event_type,created_at,sender_id,dm_conversation_id"
#: X keeps the newest 800 mentions reachable; 8 pages of 100 reach all of them.
MAX_PAGES = 8
_PLATFORM = Platform.TWITTER.value


class MalformedItem(ValueError):
    """A tweet or DM event we cannot turn into a mention; logged and skipped."""


# --------------------------------------------------------------------------- parsing (pure)


def _users(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    includes = body.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    if not isinstance(users, list):
        return {}
    return {str(u["id"]): u for u in users if isinstance(u, dict) and "id" in u}


def _author(user_id: str, users: dict[str, dict[str, Any]]) -> Author:
    user = users.get(user_id)
    if user is None or not user.get("username"):
        return Author(handle=user_id)
    return Author(handle=f"@{user['username']}", name=str(user.get("name") or ""))


def _when(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise MalformedItem(f"{what} has no created_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MalformedItem(f"{what} has an unreadable created_at '{value}'") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _str_field(item: dict[str, Any], key: str, what: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedItem(f"{what} has no {key}")
    return value


def tweet_to_mention(
    tweet: Any, users: dict[str, dict[str, Any]], our_user_id: str
) -> Mention | None:
    """A mention from one item of ``data``; None for our own tweets."""
    if not isinstance(tweet, dict):
        raise MalformedItem("tweet is not an object")
    tweet_id = _str_field(tweet, "id", "tweet")
    what = f"tweet {tweet_id}"
    text = tweet.get("text")
    if not isinstance(text, str):
        raise MalformedItem(f"{what} has no text")
    author_id = _str_field(tweet, "author_id", what)
    if author_id == our_user_id:
        return None
    referenced = tweet.get("referenced_tweets") or []
    replied_to = [
        str(r["id"]) for r in referenced
        if isinstance(r, dict) and r.get("type") == "replied_to" and "id" in r
    ]
    to_us = str(tweet.get("in_reply_to_user_id") or "") == our_user_id
    author = _author(author_id, users)
    username = author.handle.lstrip("@") if author.handle.startswith("@") else "i/web"
    return Mention(
        id=tweet_id,
        platform=Platform.TWITTER,
        kind=Kind.REPLY if replied_to and to_us else Kind.MENTION,
        author=author,
        text=text,
        created_at=_when(tweet.get("created_at"), what),
        account=our_user_id,
        url=f"https://x.com/{username}/status/{tweet_id}",
        in_reply_to=replied_to[0] if replied_to else "",
    )


def dm_to_mention(
    event: Any, users: dict[str, dict[str, Any]], our_user_id: str
) -> Mention | None:
    """A mention from one DM event; None for events that are not messages to us."""
    if not isinstance(event, dict):
        raise MalformedItem("dm event is not an object")
    event_id = _str_field(event, "id", "dm event")
    what = f"dm event {event_id}"
    if event.get("event_type", "MessageCreate") != "MessageCreate":
        return None  # participants joining or leaving
    sender_id = _str_field(event, "sender_id", what)
    if sender_id == our_user_id:
        return None
    conversation = _str_field(event, "dm_conversation_id", what)
    text = event.get("text")
    if not isinstance(text, str):
        raise MalformedItem(f"{what} has no text")
    return Mention(
        id=event_id,
        platform=Platform.TWITTER,
        kind=Kind.DM,
        author=_author(sender_id, users),
        text=text,
        created_at=_when(event.get("created_at"), what),
        account=our_user_id,
        url=f"https://x.com/messages/{conversation}",
        in_reply_to=conversation,
    )


def _items(body: Any) -> list[Any]:
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, list) else []


def _next_token(body: Any) -> str | None:
    meta = body.get("meta") if isinstance(body, dict) else None
    token = meta.get("next_token") if isinstance(meta, dict) else None
    return token if isinstance(token, str) and token else None


def _numeric_ids(items: Iterable[Any]) -> list[int]:
    ids = []
    for item in items:
        value = item.get("id") if isinstance(item, dict) else None
        if isinstance(value, str) and value.isdigit():
            ids.append(int(value))
    return ids


def _oldest_first(mentions: list[Mention]) -> list[Mention]:
    return sorted(mentions, key=lambda m: (m.created_at, int(m.id) if m.id.isdigit() else 0))


_Converter = Callable[[Any, dict[str, dict[str, Any]], str], Mention | None]


# --------------------------------------------------------------------------- the adapter


class TwitterAdapter:
    """Reply sender for our X account; ``mentions`` and ``direct_messages`` are its sources."""

    platform = Platform.TWITTER

    def __init__(
        self,
        user_id: str,
        bearer_token: str,
        user_access_token: str = "",
        *,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        page_size: int = 100,
    ) -> None:
        protect_logs(bearer_token, user_access_token)
        self.user_id = user_id
        self.page_size = page_size
        self._read = JsonApi(
            _PLATFORM, api_url, headers={"Authorization": f"Bearer {bearer_token}"}, policy=policy
        )
        self._write: JsonApi | None = None
        if user_access_token:
            self._write = JsonApi(
                _PLATFORM, api_url,
                headers={"Authorization": f"Bearer {user_access_token}"}, policy=policy,
            )
        self.mentions = TwitterMentions(self)
        self.direct_messages = TwitterDirectMessages(self)

    async def aclose(self) -> None:
        await self._read.aclose()
        if self._write is not None:
            await self._write.aclose()

    def _user_api(self, doing: str) -> JsonApi:
        if self._write is None:
            raise PlatformError(_PLATFORM, f"cannot {doing}: X_USER_ACCESS_TOKEN is not set")
        return self._write

    # ------------------------------------------------------------------ sender

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        if mention.kind is Kind.DM:
            return await self._send_dm(mention, text)
        api = self._user_api("reply")

        async def already_posted() -> dict[str, Any] | None:
            found = await self.find_sent(mention, idempotency_key)
            return None if found is None else {"data": {"id": found}}  # as POST answers

        try:
            body = await api.call(
                "POST", "/2/tweets",
                json={"text": text, "reply": {"in_reply_to_tweet_id": mention.id}},
                idempotent=False,
                already_done=already_posted,
            )
        except PlatformError as exc:
            # X refuses a second identical tweet: after an unclear failure that means ours is up.
            if "duplicate content" not in str(exc):
                raise
            found = await self.find_sent(mention, idempotency_key)
            if found is None:
                raise
            log.warning("twitter: reply to %s was already posted as %s", mention.id, found)
            return found
        return _data_field(body, "id", "POST /2/tweets")

    async def _send_dm(self, mention: Mention, text: str) -> str:
        api = self._user_api("send a direct message")
        participant = self._participant(mention)
        # No already_done: X's DM events do not say which message a reply answers (see
        # find_sent), so an unclear failure stops with DeliveryUnknown rather than resending.
        body = await api.call(
            "POST", f"/2/dm_conversations/with/{participant}/messages",
            json={"text": text}, idempotent=False,
        )
        return _data_field(body, "dm_event_id", "POST /2/dm_conversations")

    def _participant(self, mention: Mention) -> str:
        ids = mention.in_reply_to.split("-")
        others = [i for i in ids if i and i != self.user_id]
        if len(ids) != 2 or len(others) != 1 or not others[0].isdigit():
            raise PlatformError(
                _PLATFORM,
                f"direct message {mention.id} has no one-to-one conversation id "
                f"('{mention.in_reply_to}'), so there is nobody to reply to",
            )
        return others[0]

    async def hide(self, mention: Mention) -> None:
        if mention.kind is Kind.DM:
            raise PlatformError(_PLATFORM, "X cannot hide a direct message")
        body = await self._user_api("hide a reply").call(
            "PUT", f"/2/tweets/{mention.id}/hidden", json={"hidden": True}
        )
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or data.get("hidden") is not True:
            raise PlatformError(_PLATFORM, f"X did not confirm hiding tweet {mention.id}")

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        """Our reply to ``mention``: one of our tweets since it that replies to it.

        We send at most one reply per mention, so "our reply to that tweet" identifies it.
        Direct messages: DM events carry no link to the message they answer, and a later
        message of ours in the conversation may answer a different one, so we cannot tell.
        That raises DeliveryUnknown rather than returning None, which would mean "not sent"
        and have the outbox send it again.
        """
        if mention.kind is Kind.DM:
            raise DeliveryUnknown(
                _PLATFORM, "X cannot tell whether a direct message reply went out; look in "
                "the conversation before sending it again",
            )
        params: dict[str, str | int] = {
            "max_results": 100,
            "tweet.fields": "referenced_tweets,created_at",
            "exclude": "retweets",
            "start_time": mention.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        token: str | None = None
        for _ in range(3):
            page = await self._read.call(
                "GET", f"/2/users/{self.user_id}/tweets",
                params={**params, **({"pagination_token": token} if token else {})},
            )
            for tweet in _items(page):
                if not isinstance(tweet, dict):
                    continue
                for ref in tweet.get("referenced_tweets") or []:
                    if isinstance(ref, dict) and ref.get("type") == "replied_to" and str(
                        ref.get("id")
                    ) == mention.id:
                        return str(tweet["id"])
            token = _next_token(page)
            if token is None:
                break
        return None

    # ------------------------------------------------------------------ reading

    async def _pages(
        self, api: JsonApi, path: str, params: dict[str, str | int], *, more: bool,
        stop_at: int | None = None,
    ) -> tuple[list[Any], dict[str, dict[str, Any]]]:
        """All items (and expanded users) from ``path``, following next_token while ``more``."""
        items: list[Any] = []
        users: dict[str, dict[str, Any]] = {}
        token: str | None = None
        for _ in range(MAX_PAGES):
            page_params = {**params, **({"pagination_token": token} if token else {})}
            body = await api.call("GET", path, params=page_params, bucket=f"GET {path}")
            page = _items(body)
            items.extend(page)
            users.update(_users(body))
            token = _next_token(body)
            if not more or token is None:
                break
            if stop_at is not None and any(i <= stop_at for i in _numeric_ids(page)):
                break
        return items, users

    async def poll_mentions(self, cursor: str | None) -> PollResult:
        params: dict[str, str | int] = {
            "max_results": self.page_size,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if cursor:
            params["since_id"] = cursor
        items, users = await self._pages(
            self._read, f"/2/users/{self.user_id}/mentions", params, more=cursor is not None
        )
        mentions = self._convert(items, users, tweet_to_mention, "tweet")
        ids = _numeric_ids(items)
        newest = max(ids) if ids else None
        if cursor and newest is not None:
            newest = max(newest, int(cursor))
        return PollResult(_oldest_first(mentions), str(newest) if newest is not None else cursor)

    async def poll_direct_messages(self, cursor: str | None) -> PollResult:
        api = self._user_api("read direct messages")
        params: dict[str, str | int] = {
            "max_results": min(self.page_size, 100),
            "event_types": "MessageCreate",
            "dm_event.fields": DM_FIELDS,
            "expansions": "sender_id",
            "user.fields": "username,name",
        }
        seen = int(cursor) if cursor and cursor.isdigit() else None
        items, users = await self._pages(
            api, "/2/dm_events", params, more=seen is not None, stop_at=seen
        )
        fresh = [
            item for item in items
            if seen is None or not _numeric_ids([item]) or _numeric_ids([item])[0] > seen
        ]
        mentions = self._convert(fresh, users, dm_to_mention, "dm event")
        ids = _numeric_ids(items) + ([seen] if seen is not None else [])
        return PollResult(_oldest_first(mentions), str(max(ids)) if ids else cursor)

    def _convert(
        self, items: list[Any], users: dict[str, dict[str, Any]], convert: _Converter, what: str
    ) -> list[Mention]:
        mentions: list[Mention] = []
        for item in items:
            try:
                mention = convert(item, users, self.user_id)
            except (MalformedItem, ValueError) as exc:
                log.warning("twitter: skipped a malformed %s: %s", what, exc)
                continue
            if mention is not None:
                mentions.append(mention)
        return mentions


class TwitterMentions:
    """Mentions of (and replies to) our account: a polling source."""

    platform = Platform.TWITTER
    name = "twitter:mentions"

    def __init__(self, adapter: TwitterAdapter) -> None:
        self._adapter = adapter

    async def poll(self, cursor: str | None) -> PollResult:
        return await self._adapter.poll_mentions(cursor)


class TwitterDirectMessages:
    """Direct messages to our account: a polling source (needs the user-context token)."""

    platform = Platform.TWITTER
    name = "twitter:dms"

    def __init__(self, adapter: TwitterAdapter) -> None:
        self._adapter = adapter

    async def poll(self, cursor: str | None) -> PollResult:
        return await self._adapter.poll_direct_messages(cursor)


def _data_field(body: Any, key: str, call: str) -> str:
    data = body.get("data") if isinstance(body, dict) else None
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        raise PlatformError(_PLATFORM, f"{call} answered without data.{key}")
    return str(value)

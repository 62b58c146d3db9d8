"""A fake X API v2: the httpx-based adapter talks to it on 127.0.0.1.

Serves, in X's wire format (``data`` / ``includes`` / ``meta``, ``since_id`` and
``pagination_token``, only the ``tweet.fields`` asked for, ``x-rate-limit-*`` headers):

- ``GET /2/users/:id/mentions`` and ``GET /2/users/:id/tweets`` (our timeline, for find_sent),
- ``GET /2/dm_events`` (user-context token only, as on X),
- ``POST /2/tweets`` (403 on duplicate content, as on X), ``PUT /2/tweets/:id/hidden``,
- ``POST /2/dm_conversations/with/:participant_id/messages``.

Test API: ``add_mention``, ``our_tweet``, ``add_dm`` queue inbound traffic; ``posted``,
``sent_dms`` and ``hidden`` say what the bot did; ``rate_limit`` sets the headers; ``fail``
(from ``FakeHttpServer``) injects 429/5xx. For an end-to-end test: ``X_API_URL=fake.base_url``,
``X_BEARER_TOKEN=fake.bearer_token``, ``X_USER_ACCESS_TOKEN=fake.user_token``.
"""

from __future__ import annotations

import itertools
import re
import time
from datetime import UTC, datetime
from typing import Any

from fakes.http_fake import FakeHttpServer, Reply, Request

_DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
_DEFAULT_DM_FIELDS = ("id", "text", "event_type")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _fields(query: dict[str, str], name: str) -> set[str]:
    return {f for f in query.get(name, "").split(",") if f}


def _problem(status: int, title: str, detail: str) -> Reply:
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return Reply(status, body)


class FakeXApi(FakeHttpServer):
    def __init__(
        self,
        *,
        user_id: str = "1234567890",
        username: str = "westkentha",
        bearer_token: str = "x-bearer-token-for-tests",
        user_token: str = "x-user-token-for-tests",
    ) -> None:
        super().__init__()
        self.user_id = user_id
        self.bearer_token = bearer_token
        self.user_token = user_token
        self._ids = itertools.count(1_790_000_000_000_000_000)
        self.users: dict[str, dict[str, str]] = {
            user_id: {"id": user_id, "username": username, "name": "West Kent HA"}
        }
        self.tweets: dict[str, dict[str, Any]] = {}
        self._mentions: list[str] = []  # tweet ids, oldest first
        self.dm_events: list[dict[str, Any]] = []  # oldest first
        self.posted: list[dict[str, Any]] = []
        self.sent_dms: list[dict[str, Any]] = []
        self.hidden: set[str] = set()
        self._limits: dict[str, tuple[int, int]] = {}  # path part -> (remaining, reset)

    # ----------------------------------------------------------------- test API
    def next_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def add_user(self, username: str, name: str = "") -> str:
        with self.lock:
            for user in self.users.values():
                if user["username"] == username:
                    return user["id"]
            user_id = str(900_000 + len(self.users))
            self.users[user_id] = {"id": user_id, "username": username, "name": name or username}
            return user_id

    def our_tweet(self, text: str) -> dict[str, Any]:
        """A tweet of ours that people can reply to."""
        with self.lock:
            tweet_id = self.next_id()
            tweet = {
                "id": tweet_id, "text": text, "author_id": self.user_id,
                "conversation_id": tweet_id, "created_at": _iso(datetime.now(UTC)),
                "edit_history_tweet_ids": [tweet_id],
            }
            self.tweets[tweet_id] = tweet
            return tweet

    def add_mention(
        self,
        text: str,
        *,
        author: str = "jane_tenant",
        name: str = "Jane Tenant",
        in_reply_to: str | None = None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Someone mentions us (or replies to ``in_reply_to``); it shows in our mentions."""
        with self.lock:
            author_id = self.add_user(author, name)
            tweet_id = self.next_id()
            tweet: dict[str, Any] = {
                "id": tweet_id, "text": text, "author_id": author_id,
                "conversation_id": tweet_id,
                "created_at": _iso(created_at or datetime.now(UTC)),
                "edit_history_tweet_ids": [tweet_id],
            }
            if in_reply_to is not None:
                parent = self.tweets[in_reply_to]
                tweet["conversation_id"] = parent["conversation_id"]
                tweet["in_reply_to_user_id"] = parent["author_id"]
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": in_reply_to}]
            self.tweets[tweet_id] = tweet
            self._mentions.append(tweet_id)
            return tweet

    def add_raw_mention(self, tweet: dict[str, Any]) -> None:
        """Put any object (even a malformed one) in the mentions timeline as it is."""
        with self.lock:
            tweet_id = str(tweet.get("id") or self.next_id())
            self.tweets[tweet_id] = tweet
            self._mentions.append(tweet_id)

    def add_dm(
        self, text: str, *, sender: str = "jane_tenant", name: str = "Jane"
    ) -> dict[str, Any]:
        with self.lock:
            sender_id = self.add_user(sender, name)
            return self._dm_event(sender_id, self._conversation(sender_id), text)

    def rate_limit(self, path_part: str, remaining: int, reset: int) -> None:
        """Answer requests whose path contains ``path_part`` with these x-rate-limit headers."""
        with self.lock:
            self._limits[path_part] = (remaining, reset)

    # ----------------------------------------------------------------- API
    def handle(self, request: Request) -> Reply:
        token = request.bearer
        if token not in (self.bearer_token, self.user_token):
            return _problem(401, "Unauthorized", "Unauthorized")
        path, method = request.path, request.method
        reply: Reply
        if method == "GET" and (m := re.fullmatch(r"/2/users/(\d+)/mentions", path)):
            reply = self._timeline(request, m.group(1), self._mentions)
        elif method == "GET" and (m := re.fullmatch(r"/2/users/(\d+)/tweets", path)):
            ours = [t for t, v in self.tweets.items() if v.get("author_id") == m.group(1)]
            reply = self._timeline(request, m.group(1), ours)
        elif method == "GET" and path == "/2/dm_events":
            reply = self._dm_events(request)
        elif method == "POST" and path == "/2/tweets":
            reply = self._post_tweet(request)
        elif method == "PUT" and (m := re.fullmatch(r"/2/tweets/(\d+)/hidden", path)):
            reply = self._hide(request, m.group(1))
        elif method == "POST" and (
            m := re.fullmatch(r"/2/dm_conversations/with/(\d+)/messages", path)
        ):
            reply = self._send_dm(request, m.group(1))
        else:
            reply = _problem(404, "Not Found Error", f"no route {method} {path}")
        self._add_rate_headers(path, reply)
        return reply

    def _user_context(self, request: Request) -> bool:
        return request.bearer == self.user_token

    def _timeline(self, request: Request, user_id: str, ids: list[str]) -> Reply:
        if user_id not in self.users:
            return _problem(404, "Not Found Error", f"Could not find user with id: [{user_id}].")
        q = request.query
        size = int(q.get("max_results", "10"))
        if not 5 <= size <= 100:
            return _problem(400, "Invalid Request", "max_results must be between 5 and 100")
        newest_first = sorted(ids, key=int, reverse=True)
        if "since_id" in q:
            newest_first = [t for t in newest_first if int(t) > int(q["since_id"])]
        if "start_time" in q:
            start = datetime.fromisoformat(q["start_time"])
            newest_first = [
                t for t in newest_first
                if datetime.fromisoformat(self.tweets[t]["created_at"]) >= start
            ]
        offset = int(q.get("pagination_token", "page-0").removeprefix("page-"))
        page = newest_first[offset : offset + size]
        fields = set(_DEFAULT_TWEET_FIELDS) | _fields(q, "tweet.fields")
        data = [{k: v for k, v in self.tweets[t].items() if k in fields} for t in page]
        body: dict[str, Any] = {"meta": {"result_count": len(data)}}
        if data:
            body["data"] = data
            body["meta"].update(newest_id=page[0], oldest_id=page[-1])
            if "author_id" in q.get("expansions", ""):
                authors = {self.tweets[t].get("author_id") for t in page}
                body["includes"] = {
                    "users": [self.users[a] for a in sorted(authors - {None}) if a in self.users]
                }
        if offset + size < len(newest_first):
            body["meta"]["next_token"] = f"page-{offset + size}"
        return Reply(200, body)

    def _dm_events(self, request: Request) -> Reply:
        if not self._user_context(request):
            return _problem(
                403, "Unsupported Authentication",
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.",
            )
        q = request.query
        size = int(q.get("max_results", "100"))
        newest_first = list(reversed(self.dm_events))
        offset = int(q.get("pagination_token", "page-0").removeprefix("page-"))
        page = newest_first[offset : offset + size]
        fields = set(_DEFAULT_DM_FIELDS) | _fields(q, "dm_event.fields")
        data = [{k: v for k, v in event.items() if k in fields} for event in page]
        body: dict[str, Any] = {"meta": {"result_count": len(data)}}
        if data:
            body["data"] = data
            if "sender_id" in q.get("expansions", ""):
                senders = sorted({e["sender_id"] for e in page})
                body["includes"] = {"users": [self.users[s] for s in senders if s in self.users]}
        if offset + size < len(newest_first):
            body["meta"]["next_token"] = f"page-{offset + size}"
        return Reply(200, body)

    def _post_tweet(self, request: Request) -> Reply:
        if not self._user_context(request):
            return _problem(403, "Unsupported Authentication", "user context required")
        body = request.json()
        text = body.get("text", "")
        if not text or len(text) > 280:
            return _problem(400, "Invalid Request", "Tweet text must be 1 to 280 characters.")
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None and reply_to not in self.tweets:
            return _problem(400, "Invalid Request", "The replied-to tweet does not exist.")
        if any(t["text"] == text for t in self.posted):
            return _problem(
                403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
            )
        tweet_id = self.next_id()
        tweet: dict[str, Any] = {
            "id": tweet_id, "text": text, "author_id": self.user_id,
            "created_at": _iso(datetime.now(UTC)), "edit_history_tweet_ids": [tweet_id],
            "conversation_id": tweet_id,
        }
        if reply_to is not None:
            parent = self.tweets[reply_to]
            tweet["conversation_id"] = parent["conversation_id"]
            tweet["in_reply_to_user_id"] = parent["author_id"]
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
        self.tweets[tweet_id] = tweet
        self.posted.append(tweet)
        data = {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}
        return Reply(201, {"data": data})

    def _hide(self, request: Request, tweet_id: str) -> Reply:
        if not self._user_context(request):
            return _problem(403, "Unsupported Authentication", "user context required")
        tweet = self.tweets.get(tweet_id)
        if tweet is None:
            return _problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        root = self.tweets.get(tweet.get("conversation_id", ""), {})
        if root.get("author_id") != self.user_id or tweet_id == root.get("id"):
            return _problem(
                403, "Forbidden",
                "You cannot hide or unhide replies to conversations you don't own.",
            )
        hidden = bool(request.json().get("hidden"))
        (self.hidden.add if hidden else self.hidden.discard)(tweet_id)
        return Reply(200, {"data": {"hidden": hidden}})

    def _send_dm(self, request: Request, participant_id: str) -> Reply:
        if not self._user_context(request):
            return _problem(403, "Unsupported Authentication", "user context required")
        if participant_id not in self.users:
            return _problem(400, "Invalid Request", "The participant does not exist.")
        text = request.json().get("text", "")
        if not text:
            return _problem(400, "Invalid Request", "text is required")
        event = self._dm_event(self.user_id, self._conversation(participant_id), text)
        self.sent_dms.append({"participant_id": participant_id, **event})
        return Reply(
            201, {"data": {"dm_conversation_id": event["dm_conversation_id"],
                           "dm_event_id": event["id"]}},
        )

    # ----------------------------------------------------------------- helpers
    def _conversation(self, other_id: str) -> str:
        return "-".join(sorted((self.user_id, other_id), key=int))

    def _dm_event(self, sender_id: str, conversation: str, text: str) -> dict[str, Any]:
        event = {
            "id": self.next_id(), "event_type": "MessageCreate", "text": text,
            "sender_id": sender_id, "dm_conversation_id": conversation,
            "created_at": _iso(datetime.now(UTC)),
        }
        self.dm_events.append(event)
        return event

    def _add_rate_headers(self, path: str, reply: Reply) -> None:
        remaining, reset = 449, int(time.time()) + 900
        for part, (left, when) in self._limits.items():
            if part in path:
                remaining, reset = left, when
        reply.headers.setdefault("x-rate-limit-limit", "450")
        reply.headers.setdefault("x-rate-limit-remaining", str(remaining))
        reply.headers.setdefault("x-rate-limit-reset", str(reset))

"""A tiny reply platform for the outbox tests: a real HTTP server on 127.0.0.1, port 0.

It records every reply it receives, honours an idempotency key (a second POST with a known key
returns the first reply's id and is counted as a duplicate, not posted again), and answers
"was a reply with this key posted?". ``HttpReplySender`` is the matching platform sender: the
outbox talks to the server through it over real HTTP with httpx. Workers in other processes
use it too (they get the server's URL).

    POST /replies {"mention_id", "text", "idempotency_key"} -> 201 {"id"}  (200 if known key)
    GET  /replies?idempotency_key=K                         -> 200 {"id"} | 404
    POST /hide    {"mention_id"}                            -> 200 {}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import httpx
from fakes.http_fake import FakeHttpServer, Reply, Request

from bot.domain import Mention
from bot.errors import PlatformError


@dataclass(frozen=True)
class PostedReply:
    id: str
    mention_id: str
    text: str
    idempotency_key: str


class FakeReplyPlatform(FakeHttpServer):
    def __init__(self) -> None:
        super().__init__()
        self.replies: list[PostedReply] = []  # what was really posted
        self.duplicate_posts: Counter[str] = Counter()  # idempotency key -> extra POSTs
        self.hidden: Counter[str] = Counter()  # mention id -> hide calls
        self.lookups: list[tuple[str, bool]] = []  # (idempotency key, found)
        self._by_key: dict[str, PostedReply] = {}
        self._accept_then_fail = 0  # post the reply, then answer 500 anyway

    # --- test API ------------------------------------------------------------------------
    def fail_next(self, route: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests to ``route`` ("POST /replies"...) with ``status``
        without doing anything."""
        self.fail(route, status, body={"error": "injected fault"}, times=times)

    def accept_then_fail(self, times: int = 1) -> None:
        """Post the next replies but answer 500: the sender cannot know they went through."""
        with self.lock:
            self._accept_then_fail += times

    def replies_to(self, mention_id: str) -> list[PostedReply]:
        with self.lock:
            return [r for r in self.replies if r.mention_id == mention_id]

    def snapshot(self) -> tuple[list[PostedReply], Counter[str]]:
        with self.lock:
            return list(self.replies), Counter(self.duplicate_posts)

    @property
    def url(self) -> str:
        return self.base_url

    # --- serving (called by FakeHttpServer under self.lock) ------------------------------
    def handle(self, request: Request) -> Reply:
        route = f"{request.method} {request.path}"
        if route == "POST /replies":
            body = request.json()
            key = str(body["idempotency_key"])
            known = self._by_key.get(key)
            if known is not None:
                self.duplicate_posts[key] += 1
                return Reply(200, {"id": known.id, "duplicate": True})
            reply = PostedReply(
                id=f"r{len(self.replies) + 1}",
                mention_id=str(body["mention_id"]),
                text=str(body["text"]),
                idempotency_key=key,
            )
            self.replies.append(reply)
            self._by_key[key] = reply
            if self._accept_then_fail:
                self._accept_then_fail -= 1
                return Reply(500, {"error": "posted, but we say otherwise"})
            return Reply(201, {"id": reply.id})
        if route == "GET /replies":
            key = request.query.get("idempotency_key", "")
            found = self._by_key.get(key)
            self.lookups.append((key, found is not None))
            return Reply(200, {"id": found.id}) if found else Reply(404, {"error": "no such reply"})
        if route == "POST /hide":
            self.hidden[str(request.json()["mention_id"])] += 1
            return Reply(200, {})
        return Reply(404, {"error": f"no route {route}"})


class HttpReplySender:
    """A platform sender (bot.store.port.PlatformSender) for the fake, over real HTTP."""

    def __init__(self, base_url: str, *, platform: str = "twitter", timeout: float = 5.0) -> None:
        self.platform = platform
        self.client = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        response = await self.client.post(
            "/replies",
            json={"mention_id": mention.id, "text": text, "idempotency_key": idempotency_key},
        )
        self._raise_for(response)
        return str(response.json()["id"])

    async def hide(self, mention: Mention) -> None:
        self._raise_for(await self.client.post("/hide", json={"mention_id": mention.id}))

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        response = await self.client.get("/replies", params={"idempotency_key": idempotency_key})
        if response.status_code == 404:
            return None
        self._raise_for(response)
        return str(response.json()["id"])

    def _raise_for(self, response: httpx.Response) -> None:
        """429: refused, try later; other 4xx: refused for good; 5xx: the outcome is unknown
        (an httpx error, which the outbox treats as "maybe delivered")."""
        if response.status_code < 400:
            return
        if response.status_code >= 500:
            response.raise_for_status()
        raise PlatformError(
            self.platform,
            f"HTTP {response.status_code}: {response.text}",
            retryable=response.status_code == 429,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

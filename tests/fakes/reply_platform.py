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

import json
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from bot.domain import Mention
from bot.errors import PlatformError


@dataclass(frozen=True)
class PostedReply:
    id: str
    mention_id: str
    text: str
    idempotency_key: str


class FakeReplyPlatform:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.replies: list[PostedReply] = []  # what was really posted
        self.duplicate_posts: Counter[str] = Counter()  # idempotency key -> extra POSTs
        self.hidden: Counter[str] = Counter()  # mention id -> hide calls
        self.lookups: list[tuple[str, bool]] = []  # (idempotency key, found)
        self._by_key: dict[str, PostedReply] = {}
        self._faults: list[tuple[str, int]] = []  # ("POST /replies", status) answered next
        self._accept_then_fail = 0  # post the reply, then answer 500 anyway
        self._server: ThreadingHTTPServer | None = None

    # --- test API ------------------------------------------------------------------------
    def fail_next(self, route: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests to ``route`` ("POST /replies"...) with ``status``
        without doing anything."""
        with self.lock:
            self._faults.extend([(route, status)] * times)

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

    # --- serving -------------------------------------------------------------------------
    def _handle(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        route = f"{method} {path}"
        with self.lock:
            for i, (fault_route, status) in enumerate(self._faults):
                if fault_route == route:
                    del self._faults[i]
                    return status, {"error": "injected fault"}
            if route == "POST /replies":
                key = str(body["idempotency_key"])
                known = self._by_key.get(key)
                if known is not None:
                    self.duplicate_posts[key] += 1
                    return 200, {"id": known.id, "duplicate": True}
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
                    return 500, {"error": "posted, but we say otherwise"}
                return 201, {"id": reply.id}
            if route == "GET /replies":
                found = self._by_key.get(query.get("idempotency_key", ""))
                self.lookups.append((query.get("idempotency_key", ""), found is not None))
                return (200, {"id": found.id}) if found else (404, {"error": "no such reply"})
            if route == "POST /hide":
                self.hidden[str(body["mention_id"])] += 1
                return 200, {}
        return 404, {"error": f"no route {route}"}

    def start(self) -> FakeReplyPlatform:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                status, reply = fake._handle(
                    self.command, parts.path, query, json.loads(raw) if raw else None
                )
                payload = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeReplyPlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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

"""The common part of our fake platform APIs: a real HTTP server on 127.0.0.1, port 0.

Each fake (``telegram_api``, ``x_api``, ``graph_api``, ``flickr_api``, ``youtube_api``)
subclasses ``FakeHttpServer`` and answers in its platform's wire format. The server runs in
a thread of its own, so it serves sync tests, async tests and a ``socialbot serve``
subprocess alike. It records every request and can be told to fail the next matching ones:

    with FakeXApi() as fake:
        fake.fail("/2/tweets", status=429, headers={"Retry-After": "0"})
        ...
        assert fake.requests_to("/2/tweets")[-1].json()["reply"]
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def params(self) -> dict[str, str]:
        """Query and body parameters together, whether the body is a form or a JSON object."""
        merged = dict(self.query)
        kind = self.headers.get("content-type", "")
        if "json" in kind:
            body = self.json()
            if isinstance(body, dict):
                merged.update(
                    {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
                )
        elif self.body:
            merged.update(self.form())
        return merged

    @property
    def bearer(self) -> str:
        auth = self.headers.get("authorization", "")
        return auth[len("Bearer ") :].strip() if auth.startswith("Bearer ") else ""


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    match: str  # a substring of "METHOD /path"
    reply: Reply | None  # None: close the connection without answering
    times: int
    handled: bool = False  # carry the request out before failing (a lost response)


class FakeHttpServer:
    """Base of the fakes: subclasses implement ``handle`` (called under ``self.lock``)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._requests: list[Request] = []
        self._faults: list[Fault] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition(self.lock)

    # ----------------------------------------------------------------- to override
    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def prefix(self) -> str:
        """Path prefix of the API on this server, included in ``base_url``."""
        return ""

    # ----------------------------------------------------------------- running
    def start(self) -> FakeHttpServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                reply = fake._dispatch(request)
                if reply is None:  # as if the network dropped: no response at all
                    self.close_connection = True
                    return
                payload = (
                    reply.body
                    if isinstance(reply.body, bytes)
                    else json.dumps(reply.body).encode("utf-8")
                )
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # shutdown() waits up to one interval
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the fake first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix()}"

    # ----------------------------------------------------------------- test API
    def fail(
        self,
        match: str,
        status: int = 429,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests whose "METHOD /path" contains ``match`` so."""
        with self.lock:
            reply = Reply(status, body if body is not None else {}, headers or {})
            self._faults.append(Fault(match, reply, times))

    def drop(self, match: str, *, handled: bool = False, times: int = 1) -> None:
        """Close the connection of the next matching requests without a response.

        ``handled=True``: the request takes effect first (a reply posted, its answer lost).
        """
        with self.lock:
            self._faults.append(Fault(match, None, times, handled))

    @property
    def requests(self) -> list[Request]:
        with self.lock:
            return list(self._requests)

    def requests_to(self, match: str) -> list[Request]:
        return [r for r in self.requests if match in f"{r.method} {r.path}"]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until ``condition()`` holds (checked after each request); for end-to-end tests."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    # ----------------------------------------------------------------- internals
    def _dispatch(self, request: Request) -> Reply | None:
        with self.lock:
            self._requests.append(request)
            try:
                where = f"{request.method} {request.path}"
                for fault in self._faults:
                    if fault.times > 0 and fault.match in where:
                        fault.times -= 1
                        if fault.handled:
                            self.handle(request)
                        return fault.reply
                try:
                    return self.handle(request)
                except Exception as exc:  # a bug in the fake: a plain refusal, never retried
                    reason = f"fake server bug: {type(exc).__name__}: {exc}"
                    body = {"ok": False, "description": reason, "error": {"message": reason}}
                    return Reply(400, body)
            finally:
                self._changed.notify_all()

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

"""A fake Slack Socket Mode endpoint: a WebSocket server on 127.0.0.1 (aiohttp, own thread).

Slack's side of Socket Mode: the app asks ``apps.connections.open`` (FakeSlackApi answers with
``fake_socket.url`` when given it) and connects here; we greet it with ``hello`` and push
envelopes (``interactive``, ``slash_commands``, ``events_api``) which the app must ack with
``{"envelope_id": ...}``.

    with FakeSocketMode() as socket_mode, FakeSlackApi(socket_mode_url=socket_mode.url) as api:
        ...connect the app...
        envelope_id = socket_mode.send("interactive", payload)
        ack = socket_mode.wait_ack(envelope_id)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from typing import Any

from aiohttp import WSMsgType, web


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-socket-mode",
                                        daemon=True)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._port = 0

    # ----- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._serve)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self._port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    def stop(self) -> None:
        async def _stop() -> None:
            for ws in list(self._sockets):
                await ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/link?ticket=test"

    # ----- talking to the app ----------------------------------------------------------------

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._sockets), timeout):
                raise AssertionError("the app never connected over Socket Mode")

    def send(self, kind: str, payload: dict[str, Any]) -> str:
        """Push one envelope to the connected app; returns its envelope id."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        self.wait_connected()

        async def _send() -> None:
            await self._sockets[-1].send_str(json.dumps(envelope))

        asyncio.run_coroutine_threadsafe(_send(), self._loop).result(10)
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for {envelope_id}")
            return self.acks[envelope_id]

    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._changed:
            self.connections += 1
            self._sockets.append(ws)
            self._changed.notify_all()
        await ws.send_str(json.dumps({
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            "connection_info": {"app_id": "A0SOCIALBOT"},
        }))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "envelope_id" in data:
                with self._changed:
                    self.acks[str(data["envelope_id"])] = data
                    self._changed.notify_all()
        with self._changed:
            self._sockets.remove(ws)
            self._changed.notify_all()
        return ws

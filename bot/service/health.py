"""``GET /healthz``: is the service able to do its job right now?

200 with a small JSON status when the store answers and every source that should be polling
is; 503 (same JSON, saying what is wrong) otherwise, or while the service is stopping. A
platform that is down does not make the service unhealthy (its poller keeps trying and says
so in ``last_error``); a poller that stopped, or a store that does not answer, does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from bot.service.pollers import SourcePoller
from bot.store.port import Store

log = logging.getLogger(__name__)

#: How long the store gets to answer before /healthz calls it unreachable.
STORE_TIMEOUT = 5.0
HEALTH_CURSOR = "socialbot:healthz"


class Health:
    def __init__(
        self,
        store: Store,
        pollers: Sequence[SourcePoller],
        *,
        webhooks: Sequence[str] = (),
        stopping: Callable[[], bool] = lambda: False,
        slack_mode: str = "",
    ) -> None:
        self._store = store
        self._pollers = pollers
        self._webhooks = list(webhooks)
        self._stopping = stopping
        self._slack_mode = slack_mode

    async def status(self) -> tuple[bool, dict[str, Any]]:
        store_ok, store_text = await self._check_store()
        sources: dict[str, Any] = {}
        for poller in self._pollers:
            st = poller.status
            sources[poller.name] = {
                "running": st.running,
                "polls": st.polls,
                "last_success": st.last_success.isoformat() if st.last_success else None,
                "last_error": st.last_error or None,
            }
        stopping = self._stopping()
        healthy = store_ok and not stopping and all(p.status.running for p in self._pollers)
        body: dict[str, Any] = {
            "status": "stopping" if stopping else ("ok" if healthy else "unhealthy"),
            "store": store_text,
            "sources": sources,
            "webhooks": self._webhooks,
            "slack": self._slack_mode,
        }
        return healthy, body

    async def handle(self, request: web.Request) -> web.Response:
        healthy, body = await self.status()
        return web.json_response(body, status=200 if healthy else 503)

    async def _check_store(self) -> tuple[bool, str]:
        try:
            await asyncio.wait_for(
                asyncio.to_thread(self._store.get_cursor, HEALTH_CURSOR), timeout=STORE_TIMEOUT
            )
        except Exception as exc:
            log.warning("healthz: the store does not answer: %s", exc)
            return False, "unreachable"
        return True, "ok"

"""Slack's HTTP mode on the service's aiohttp server: one port for Slack, webhooks and /healthz.

Bolt's ``App`` is synchronous, so each request is dispatched in a worker thread with the raw
body (Bolt checks the ``v0`` signature over exactly those bytes) and its answer (the ack,
within Slack's three seconds) is turned back into an aiohttp response. Listeners run on the
app's listener executor after the ack, as in Bolt's own HTTP adapters.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def slack_handler(app: App) -> Handler:
    """An aiohttp handler passing Slack's requests (events, actions, commands) to ``app``."""

    async def handle(request: web.Request) -> web.StreamResponse:
        body = (await request.read()).decode("utf-8", errors="replace")
        bolt_request = BoltRequest(
            body=body,
            query=request.query_string,
            headers={name: request.headers.getall(name) for name in request.headers},
        )
        response: BoltResponse = await asyncio.to_thread(app.dispatch, bolt_request)
        return _to_aiohttp(response)

    return handle


def _to_aiohttp(response: BoltResponse) -> web.Response:
    headers = response.first_headers_without_set_cookie()
    content_type = headers.pop("content-type", "text/plain").split(";")[0].strip()
    return web.Response(
        status=response.status,
        body=response.body.encode("utf-8"),
        headers=headers,
        content_type=content_type,
        charset="utf-8",
    )

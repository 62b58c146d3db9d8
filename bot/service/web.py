"""The service's one web server: ``/healthz``, the platform webhooks and (HTTP mode) Slack.

Every endpoint the outside world calls is on one aiohttp server and one port, so one reverse
proxy (TLS) in front of it is enough. Webhook sub-applications come from the platform
registry; Slack's endpoint is ``/slack/events`` as in Slack's own documentation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web

from bot.errors import ConfigError
from bot.platforms.base import MentionSink
from bot.platforms.registry import WebhookEndpoint
from bot.service.health import Health
from bot.service.slack_bridge import Handler

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
#: How long in-flight requests get to finish when the server stops.
SHUTDOWN_SECONDS = 10.0


@dataclass
class WebServer:
    runner: web.AppRunner
    site: web.TCPSite
    host: str
    port: int
    stopped: bool = False

    async def stop(self) -> None:
        """Stop listening, let in-flight requests finish, then close (once)."""
        if not self.stopped:
            self.stopped = True
            await self.runner.cleanup()


async def build_web_app(
    health: Health,
    webhooks: list[WebhookEndpoint],
    sink: MentionSink,
    slack: Handler | None = None,
) -> web.Application:
    app = web.Application()
    app.router.add_get(HEALTH_PATH, health.handle)
    if slack is not None:
        app.router.add_post(SLACK_PATH, slack)
    for endpoint in webhooks:
        app.add_subapp(endpoint.path.rstrip("/"), await endpoint.make_app(sink))
        log.info("%s webhook at %s", endpoint.platform.value, endpoint.path)
    return app


async def start_web_server(app: web.Application, host: str, port: int) -> WebServer:
    """Listen on ``host:port`` (port 0: any free port; the one chosen is in ``.port``)."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError("port", f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    addresses = runner.addresses
    bound = int(addresses[0][1]) if addresses else port
    return WebServer(runner, site, host, bound)

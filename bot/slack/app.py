"""Build the Slack app from the settings and the environment, and run it.

Socket Mode is the default: the app opens a WebSocket to Slack, so no public URL is needed
(``SLACK_APP_TOKEN``, xapp-…, and ``SLACK_BOT_TOKEN``, xoxb-…). HTTP mode receives requests
on a port (``SLACK_SIGNING_SECRET`` checks they come from Slack). ``SLACK_API_URL`` points the
Web API client somewhere else than https://slack.com/api/ (tests use a local fake).

    bot = build_slack_app(settings, store)        # mode="http" for HTTP mode
    bot.verify()                                  # auth.test: is the bot token good?
    bot.start()                                   # posting queue and the sweep of cards
    run_socket_mode(bot)                          # or run_http(bot, 3000); blocks

The outbox reports deliveries to ``bot.delivery_listener`` (``delivered`` / ``gave_up``); the
pipeline calls ``bot.review.service.submit_for_review(store, result)`` then
``bot.desk.publish(key)``; cards missed for any reason are posted by the sweep.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from enum import StrEnum
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings
from bot.errors import ConfigError
from bot.review.service import DeliveryListener
from bot.slack.desk import CardDesk
from bot.slack.listeners import register_all
from bot.slack.permissions import Permissions
from bot.slack.posting_queue import BACKOFF_SECONDS, MIN_INTERVAL, PostingQueue
from bot.slack.services import SlackServices
from bot.store.port import Store
from bot.store.records import Clock, utc_now

log = logging.getLogger(__name__)

BOT_TOKEN_ENV = "SLACK_BOT_TOKEN"
APP_TOKEN_ENV = "SLACK_APP_TOKEN"
SIGNING_SECRET_ENV = "SLACK_SIGNING_SECRET"
API_URL_ENV = "SLACK_API_URL"
DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
#: How often cards that are missing (held overnight, Slack down) are looked for.
SWEEP_SECONDS = 30.0


class Mode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"


@dataclass(frozen=True)
class SlackCredentials:
    """Secrets from the environment; never printed (repr hides them)."""

    bot_token: str = field(repr=False)
    app_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str], mode: Mode) -> SlackCredentials:
        bot_token = env.get(BOT_TOKEN_ENV, "").strip()
        if not bot_token:
            raise ConfigError(BOT_TOKEN_ENV, "missing: the Bot User OAuth Token (xoxb-…)")
        if not bot_token.startswith("xoxb-"):
            raise ConfigError(BOT_TOKEN_ENV, "must be a bot token starting with xoxb-")
        app_token = env.get(APP_TOKEN_ENV, "").strip()
        signing_secret = env.get(SIGNING_SECRET_ENV, "").strip()
        if mode is Mode.SOCKET:
            if not app_token:
                raise ConfigError(
                    APP_TOKEN_ENV,
                    "missing: Socket Mode needs an app-level token (xapp-…) with "
                    "connections:write; or run in HTTP mode",
                )
            if not app_token.startswith("xapp-"):
                raise ConfigError(APP_TOKEN_ENV, "must be an app-level token starting with xapp-")
        if mode is Mode.HTTP and not signing_secret:
            raise ConfigError(SIGNING_SECRET_ENV, "missing: HTTP mode needs the signing secret")
        api_url = env.get(API_URL_ENV, "").strip() or DEFAULT_API_URL
        if not api_url.startswith(("https://", "http://")):
            raise ConfigError(API_URL_ENV, "must be an http(s) URL")
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(bot_token, app_token, signing_secret, api_url)


@dataclass
class SlackBot:
    """The Bolt app with everything it works with; ``start()`` before serving."""

    app: App
    services: SlackServices
    queue: PostingQueue
    credentials: SlackCredentials
    mode: Mode
    sweep_seconds: float = SWEEP_SECONDS
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _sweeper: threading.Thread | None = field(default=None, repr=False)

    @property
    def desk(self) -> CardDesk:
        return self.services.desk

    @property
    def delivery_listener(self) -> DeliveryListener:
        """What the outbox tells when a reply (or hide) went out or could not."""
        return self.services.desk

    @property
    def client(self) -> WebClient:
        return self.services.client

    def verify(self) -> str:
        """Ask Slack who we are; a clear ConfigError if the bot token is refused."""
        try:
            response = self.client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error", "") if exc.response is not None else ""
            raise ConfigError(BOT_TOKEN_ENV, f"Slack refused it ({error})") from exc
        except (SlackClientError, OSError) as exc:
            raise ConfigError(API_URL_ENV, f"cannot reach Slack: {exc}") from exc
        return str(response.get("team") or "")

    def start(self) -> None:
        """Start posting, and look for missing cards now and every ``sweep_seconds``."""
        self.queue.start()
        if self._sweeper is None:
            self._stop.clear()
            self._sweeper = threading.Thread(target=self._sweep_loop, name="slack-sweep",
                                             daemon=True)
            self._sweeper.start()

    def stop(self) -> None:
        self._stop.set()
        if self._sweeper is not None:
            self._sweeper.join(5)
            self._sweeper = None
        self.queue.flush(timeout=10)
        self.queue.stop()

    def _sweep_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.desk.sweep()
            except Exception:
                # The sweep is the safety net: it must outlive a bad moment (store busy...).
                log.exception("sweep for missing cards failed")
            self._stop.wait(self.sweep_seconds)


def build_slack_app(
    settings: Settings,
    store: Store,
    *,
    mode: Mode | str = Mode.SOCKET,
    env: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
    posting_interval: float = MIN_INTERVAL,
    posting_backoff: float = BACKOFF_SECONDS,
    sweep_seconds: float = SWEEP_SECONDS,
    retry_given_up_seconds: float | None = None,
    listener_executor: Executor | None = None,
) -> SlackBot:
    """The Slack app for ``settings`` and ``store``; credentials from ``env`` (os.environ)."""
    mode = Mode(mode)
    credentials = SlackCredentials.from_env(os.environ if env is None else env, mode)
    client = WebClient(
        token=credentials.bot_token,
        base_url=credentials.api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )
    app = App(
        client=client,
        signing_secret=credentials.signing_secret,
        name="socialbot",
        # Built without a network call; bot.verify() checks the token when serving starts.
        token_verification_enabled=False,
        listener_executor=listener_executor,
    )
    queue = PostingQueue(client, min_interval=posting_interval, backoff_seconds=posting_backoff)
    desk_options: dict[str, Any] = {}
    if retry_given_up_seconds is not None:
        desk_options["retry_given_up_seconds"] = retry_given_up_seconds
    desk = CardDesk(store, settings, client, queue, clock=clock, **desk_options)
    services = SlackServices(
        store=store,
        settings=settings,
        client=client,
        permissions=Permissions(client, settings.slack),
        desk=desk,
        clock=clock,
    )
    register_all(app, services)
    return SlackBot(app, services, queue, credentials, mode, sweep_seconds)


def connect_socket_mode(bot: SlackBot) -> SocketModeHandler:
    """Open the Socket Mode connection (apps.connections.open, then a WebSocket) and return
    at once; ``close()`` the handler to disconnect. The client reconnects by itself."""
    if not bot.credentials.app_token:
        raise ConfigError(APP_TOKEN_ENV, "missing: Socket Mode needs it")
    handler = SocketModeHandler(bot.app, bot.credentials.app_token)
    handler.connect()  # type: ignore[no-untyped-call]
    return handler


def run_socket_mode(bot: SlackBot, stop: threading.Event | None = None) -> None:
    """Serve over Socket Mode until ``stop`` is set (or the process is interrupted)."""
    bot.start()
    try:
        handler = connect_socket_mode(bot)
        log.info("connected to Slack over Socket Mode")
        try:
            (stop or threading.Event()).wait()
        finally:
            handler.close()  # type: ignore[no-untyped-call]
    finally:
        bot.stop()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    # wsgiref writes the headers and the body separately; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http: " + format, *args)


class HttpServer:
    """The app behind a small threaded HTTP server at ``/slack/events``."""

    def __init__(self, bot: SlackBot, port: int, host: str) -> None:
        self.bot = bot
        self._server = make_server(
            host,
            port,
            SlackRequestHandler(bot.app, path=EVENTS_PATH),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._server.server_address[0])
        return f"http://{host}:{self.port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self.serve_forever, name="slack-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)


def start_http(bot: SlackBot, port: int = 0, host: str = "127.0.0.1") -> HttpServer:
    """Serve HTTP mode in a background thread (port 0: any free port); ``stop()`` ends it."""
    return HttpServer(bot, port, host).start()


def run_http(bot: SlackBot, port: int, host: str = "0.0.0.0") -> None:
    """Serve HTTP mode on ``host:port`` until interrupted."""
    if not bot.credentials.signing_secret:
        raise ConfigError(SIGNING_SECRET_ENV, "missing: HTTP mode needs it")
    server = HttpServer(bot, port, host)
    bot.start()
    log.info("listening on %s", server.url)
    try:
        server.serve_forever()
    finally:
        server.stop()
        bot.stop()

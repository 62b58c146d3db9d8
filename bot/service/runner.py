"""``socialbot serve``: every part in one process, started in order and stopped in order.

Start: Slack credentials are checked first (missing ones stop us before anything slow), then
the store, the platform adapters (a platform without credentials is off, one log line), Slack
(``auth.test``), the intent model, the web server (``/healthz``, webhooks, Slack in HTTP
mode), Socket Mode, and finally the workers: pollers, triage, the outbox.

Stop (SIGTERM or SIGINT): stop taking new work (pollers end after the poll in hand, the web
server stops listening and lets its requests finish, Socket Mode disconnects), finish the
work in flight (everything already stored is triaged and its card queued, the outbox item in
hand is settled, Slack clicks already received are carried out), flush the Slack posting
queue, close the platform clients and the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.domain import Mention
from bot.platforms.redact import protect_logs
from bot.platforms.registry import Adapters, build_adapters
from bot.processing import MentionProcessor
from bot.service.delivery import DeliveryLoop
from bot.service.health import Health
from bot.service.intake import Intake
from bot.service.pollers import SourcePoller
from bot.service.slack_bridge import slack_handler
from bot.service.triage_worker import TriageWorker
from bot.service.web import WebServer, build_web_app, start_web_server
from bot.slack.app import Mode, SlackBot, SlackCredentials, build_slack_app, connect_socket_mode
from bot.store.factory import open_store
from bot.store.outbox import OutboxSender
from bot.store.port import Store

log = logging.getLogger(__name__)

#: How long a poll in progress may take to end once we are stopping (then it is cancelled:
#: its mentions are fetched again next time, as the cursor was not moved).
POLLER_GRACE_SECONDS = 20.0

LoadProcessor = Callable[[Settings], MentionProcessor]


@dataclass(frozen=True)
class ServeOptions:
    mode: Mode = Mode.SOCKET
    host: str = "0.0.0.0"
    port: int = 8080
    #: Seconds between two polls of a source; None: ``platforms.poll_seconds``.
    poll_seconds: float | None = None


class Service:
    def __init__(
        self,
        settings: Settings,
        options: ServeOptions,
        *,
        env: Mapping[str, str] | None = None,
        load_processor: LoadProcessor | None = None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.env: Mapping[str, str] = os.environ if env is None else env
        self._load_processor = load_processor or MentionProcessor.load
        self._stopping = asyncio.Event()
        self._exit_code = 0
        self.web: WebServer | None = None

    # ----- control -------------------------------------------------------------------------

    def request_stop(self, reason: str = "", exit_code: int = 0) -> None:
        if self._stopping.is_set():
            log.info("already stopping")
            return
        log.info("stopping%s", f" ({reason})" if reason else "")
        self._exit_code = max(self._exit_code, exit_code)
        self._stopping.set()

    def _install_signals(self) -> list[signal.Signals]:
        loop = asyncio.get_running_loop()
        installed = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.request_stop, sig.name)
                installed.append(sig)
        return installed

    # ----- the whole life ------------------------------------------------------------------

    async def run(self) -> int:
        """Serve until SIGTERM/SIGINT (or ``request_stop``); returns the exit code."""
        signals = self._install_signals()
        try:
            return await self._run()
        finally:
            loop = asyncio.get_running_loop()
            for sig in signals:
                loop.remove_signal_handler(sig)

    async def _run(self) -> int:
        credentials = SlackCredentials.from_env(self.env, self.options.mode)
        protect_logs(credentials.bot_token, credentials.app_token, credentials.signing_secret)
        async with contextlib.AsyncExitStack() as cleanup:
            store = await asyncio.to_thread(open_store, self.settings)
            cleanup.callback(store.close)
            adapters = build_adapters(self.settings.platforms, self.env)
            cleanup.push_async_callback(adapters.aclose)
            executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-listener")
            cleanup.callback(executor.shutdown, wait=False, cancel_futures=True)
            bot = build_slack_app(
                self.settings, store, mode=self.options.mode, env=self.env,
                listener_executor=executor,
            )
            # Before the model, which can take a while to build: a refused token fails fast.
            team = await asyncio.to_thread(bot.verify)
            log.info("Slack workspace: %s (%s mode)", team or "?", self.options.mode.value)
            log.info("loading the intent model")
            processor = await asyncio.to_thread(self._load_processor, self.settings)
            await self._serve(store, adapters, processor, bot, executor, cleanup)
        log.info("stopped")
        return self._exit_code

    async def _serve(
        self,
        store: Store,
        adapters: Adapters,
        processor: MentionProcessor,
        bot: SlackBot,
        executor: ThreadPoolExecutor,
        cleanup: contextlib.AsyncExitStack,
    ) -> None:
        intake = Intake(store)
        interval = self.options.poll_seconds or float(self.settings.platforms.poll_seconds)
        pollers = [
            SourcePoller(source, store, intake, interval=interval) for source in adapters.sources
        ]
        triage = TriageWorker(store, processor, intake, publish=bot.desk.publish)
        delivery = DeliveryLoop(
            OutboxSender(store, adapters.senders), listener=bot.delivery_listener
        )
        health = Health(
            store, pollers,
            webhooks=[w.path for w in adapters.webhooks],
            stopping=self._stopping.is_set,
            slack_mode=self.options.mode.value,
        )

        async def sink(mentions: list[Mention]) -> None:
            await intake.accept(mentions)

        http_mode = self.options.mode is Mode.HTTP
        app = await build_web_app(
            health, adapters.webhooks, sink, slack_handler(bot.app) if http_mode else None
        )
        web = await start_web_server(app, self.options.host, self.options.port)
        cleanup.push_async_callback(web.stop)
        self.web = web
        log.info(
            "listening on http://%s:%d (/healthz%s%s)", web.host, web.port,
            ", /slack/events" if http_mode else "",
            "".join(f", {w.path}" for w in adapters.webhooks),
            extra={"port": web.port},
        )
        bot.start()
        cleanup.push_async_callback(asyncio.to_thread, bot.stop)
        socket_handler: Any = None
        if not http_mode:
            socket_handler = await asyncio.to_thread(connect_socket_mode, bot)
            cleanup.callback(socket_handler.close)
            log.info("connected to Slack over Socket Mode")

        await triage.recover()
        triage_stop = asyncio.Event()
        triage_task = self._task(triage.run(triage_stop), "triage")
        delivery_task = self._task(delivery.run(self._stopping), "outbox")
        poller_tasks = [
            asyncio.create_task(p.run(self._stopping), name=f"poll {p.name}") for p in pollers
        ]
        log.info(
            "socialbot is running: %d polling source(s)%s, %d webhook(s), replies to %s",
            len(pollers), f" ({', '.join(p.name for p in pollers)})" if pollers else "",
            len(adapters.webhooks),
            ", ".join(sorted(p.value for p in adapters.senders)) or "no platform",
        )

        await self._stopping.wait()

        # 1. No new work: pollers end after the poll in hand, the web server stops listening
        #    (requests in flight finish: a webhook is answered only once its mentions are
        #    stored), Socket Mode disconnects.
        await _finish(poller_tasks, POLLER_GRACE_SECONDS, "poller")
        await web.stop()
        if socket_handler is not None:
            await asyncio.to_thread(socket_handler.close)  # closing twice is harmless
        # 2. Finish what is in flight: triage everything stored, settle the outbox item in
        #    hand, let Slack clicks already received be carried out.
        triage_stop.set()
        await triage_task
        await delivery_task
        await asyncio.to_thread(_drain_executor, executor)
        log.info(
            "%d mention(s) triaged, %d repl(ies) delivered, %d given up in this run",
            triage.stats.triaged, delivery.delivered, delivery.given_up,
        )
        # 3. The cleanup stack flushes the Slack posting queue, then closes the platform
        #    clients and the store.

    def _task(self, work: Awaitable[None], name: str) -> asyncio.Task[None]:
        async def guarded() -> None:
            try:
                await work
            except Exception:
                # A bug in a core worker: stop, so the supervisor restarts us cleanly.
                log.exception("the %s worker stopped unexpectedly", name)
                self.request_stop(f"the {name} worker failed", exit_code=1)

        return asyncio.create_task(guarded(), name=name)


async def _finish(tasks: list[asyncio.Task[None]], grace: float, what: str) -> None:
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        log.warning("%s %s did not finish in %.0f s; cancelled", what, task.get_name(), grace)
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _drain_executor(executor: ThreadPoolExecutor) -> None:
    """Wait for the Slack listeners already running (a click being carried out); nothing new
    reaches them once the web server and Socket Mode are closed."""
    executor.shutdown(wait=True)


def serve(settings: Settings, options: ServeOptions, **kwargs: Any) -> int:
    """Run the service in a fresh event loop; returns the exit code."""
    return asyncio.run(Service(settings, options, **kwargs).run())

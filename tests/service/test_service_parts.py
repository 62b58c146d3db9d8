"""The service's parts in-process, each against the real adapter, a fake API and real SQLite:
polling with stored cursors across a restart, the webhook + /healthz server, the outbox loop
telling Slack's DeliveryListener, the triage worker and its recovery."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fakes.telegram_api import FakeTelegramApi
from fakes.x_api import FakeXApi

from bot.config import PlatformSettings
from bot.domain import Author, Draft, Intent, Kind, Mention, Platform, Triage
from bot.platforms.registry import build_adapters
from bot.platforms.retry import RetryPolicy
from bot.platforms.telegram import TelegramAdapter
from bot.platforms.twitter import TwitterAdapter
from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.service.delivery import DeliveryLoop
from bot.service.health import Health
from bot.service.intake import Intake
from bot.service.pollers import SourcePoller
from bot.service.triage_worker import TriageWorker
from bot.service.web import build_web_app, start_web_server
from bot.store.outbox import OutboxSender
from bot.store.records import MentionKey, OutboxItem, OutboxStatus
from bot.store.sqlite import SqliteStore

NO_RETRY = RetryPolicy(attempts=1, base_delay=0.0, max_delay=0.0)
US = "1234567890"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "socialbot.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(db)
    yield s
    s.close()


@pytest.fixture
def x() -> Iterator[FakeXApi]:
    with FakeXApi(user_id=US) as fake:
        yield fake


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
async def telegram_adapter(telegram: FakeTelegramApi) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(telegram.token, api_url=telegram.base_url, policy=NO_RETRY)
    yield adapter
    await adapter.aclose()


def x_poller(x: FakeXApi, store: SqliteStore, intake: Intake) -> tuple[TwitterAdapter,
                                                                       SourcePoller]:
    adapter = TwitterAdapter(US, x.bearer_token, api_url=x.base_url, policy=NO_RETRY)
    return adapter, SourcePoller(adapter.mentions, store, intake, interval=60)


# ----------------------------------------------------------------------------- polling


async def test_a_restart_neither_misses_nor_repeats_a_mention(
    x: FakeXApi, db: Path
) -> None:
    first = x.add_mention("@westkentha is the office open today?")
    second = x.add_mention("@westkentha how do I pay my rent?")

    store = SqliteStore(db)
    intake = Intake(store)
    adapter, poller = x_poller(x, store, intake)
    assert await poller.poll_once() == 2
    assert store.get_cursor("twitter:mentions") == second["id"]
    await adapter.aclose()
    store.close()  # the service stops (or dies) here

    third = x.add_mention("@westkentha my boiler is broken again")
    store = SqliteStore(db)  # ...and starts again
    intake = Intake(store)
    adapter, poller = x_poller(x, store, intake)
    try:
        assert await poller.poll_once() == 1
        assert await poller.poll_once() == 0
        queued = [intake.waiting.get_nowait() for _ in range(intake.waiting.qsize())]
        assert queued == [("twitter", US, third["id"])]
        # The second run asked X only for what is newer than the saved cursor.
        since = [r.query.get("since_id") for r in x.requests_to("/mentions")]
        assert since == [None, second["id"], third["id"]]
        stored = {r.mention.id for r in store.in_state(ReviewState.RECEIVED)}
        assert stored == {first["id"], second["id"], third["id"]}
    finally:
        await adapter.aclose()
        store.close()


async def test_a_failed_poll_keeps_the_cursor_and_the_poller_keeps_going(
    x: FakeXApi, store: SqliteStore
) -> None:
    x.add_mention("@westkentha hello")
    intake = Intake(store)
    adapter, poller = x_poller(x, store, intake)
    poller.interval = 0.05
    x.fail("/mentions", status=503, times=2)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        for _ in range(200):
            if poller.status.polls:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task
        await adapter.aclose()
    assert poller.status.polls >= 1 and poller.status.mentions == 1
    assert len(x.requests_to("/mentions")) >= 3  # two refused, then the one that worked
    assert store.get_cursor("twitter:mentions") is not None
    assert not poller.status.running


# ----------------------------------------------------------------------------- web server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_telegram_webhook_and_healthz_share_the_web_server(
    telegram: FakeTelegramApi, store: SqliteStore
) -> None:
    port = free_port()
    env = {
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_API_URL": telegram.base_url,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/",
        "TELEGRAM_WEBHOOK_SECRET": "webhook-secret-for-tests",
    }
    adapters = build_adapters(PlatformSettings(), env)
    assert adapters.sources == [] and [w.path for w in adapters.webhooks] == [
        "/webhooks/telegram/"
    ]
    intake = Intake(store)
    stopping = False
    health = Health(store, [], webhooks=["/webhooks/telegram/"], stopping=lambda: stopping)

    async def sink(mentions: list[Mention]) -> None:
        await intake.accept(mentions)

    app = await build_web_app(health, adapters.webhooks, sink)
    web = await start_web_server(app, "127.0.0.1", port)
    try:
        assert telegram.webhook_url == env["TELEGRAM_WEBHOOK_URL"]
        message = telegram.private_message("Are you open on Saturday?", queue=False)
        update = {"message": message}
        assert await asyncio.to_thread(telegram.deliver, update) == 200
        assert await asyncio.to_thread(telegram.deliver, update) == 200  # a redelivery
        assert await asyncio.to_thread(telegram.deliver, update, secret="wrong") == 403
        key = ("telegram", "westkent_help_bot", f"{message['chat']['id']}:{message['message_id']}")
        record = store.get(key)
        assert record is not None and record.mention.text == "Are you open on Saturday?"
        assert len(store.in_state(ReviewState.RECEIVED)) == 1

        async with httpx.AsyncClient() as client:
            ok = await client.get(f"http://127.0.0.1:{web.port}/healthz")
            stopping = True
            going = await client.get(f"http://127.0.0.1:{web.port}/healthz")
        assert ok.status_code == 200 and ok.json()["status"] == "ok"
        assert going.status_code == 503 and going.json()["status"] == "stopping"
    finally:
        await web.stop()
        await adapters.aclose()


async def test_healthz_is_503_when_the_store_does_not_answer(db: Path) -> None:
    store = SqliteStore(db)
    health = Health(store, [])
    assert (await health.status())[0] is True
    store.close()
    healthy, body = await health.status()
    assert healthy is False and body["store"] == "unreachable"


async def test_healthz_is_503_when_a_poller_has_stopped(
    x: FakeXApi, store: SqliteStore
) -> None:
    adapter, poller = x_poller(x, store, Intake(store))
    try:
        health = Health(store, [poller])
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        await asyncio.sleep(0)
        healthy, body = await health.status()
        assert healthy and body["sources"]["twitter:mentions"]["running"] is True
        stop.set()
        await task
        healthy, body = await health.status()
        assert not healthy and body["sources"]["twitter:mentions"]["running"] is False
    finally:
        await adapter.aclose()


# ----------------------------------------------------------------------------- outbox


class RecordingListener:
    """What the Slack card desk would be told (the DeliveryListener interface)."""

    def __init__(self) -> None:
        self.done: list[OutboxItem] = []
        self.failed: list[OutboxItem] = []

    def delivered(self, item: OutboxItem, url: str = "") -> None:
        self.done.append(item)

    def gave_up(self, item: OutboxItem) -> None:
        self.failed.append(item)


def approved_telegram_reply(store: SqliteStore, telegram: FakeTelegramApi, text: str) -> MentionKey:
    message = telegram.private_message("Are you open on Friday?")
    mention = Mention(
        id=f"{message['chat']['id']}:{message['message_id']}",
        platform=Platform.TELEGRAM, kind=Kind.DM, author=Author("@jane_tenant", "Jane"),
        text="Are you open on Friday?", created_at=datetime.now(UTC),
        account="westkent_help_bot",
    )
    store.ingest(mention)
    store.record_triage(mention.key, Triage(Intent.OPENING_HOURS, 0.99),
                        Draft(text, "opening_hours.j2", Platform.TELEGRAM))
    store.queue_for_review(mention.key)
    store.approve(mention.key, actor="U0APPROVER")
    return mention.key


async def test_the_outbox_loop_delivers_once_and_tells_slack(
    telegram: FakeTelegramApi, telegram_adapter: TelegramAdapter, store: SqliteStore
) -> None:
    key = approved_telegram_reply(store, telegram, "We are open 9am–5pm.")
    seen = RecordingListener()
    loop = DeliveryLoop(OutboxSender(store, {Platform.TELEGRAM: telegram_adapter}),
                        seen)
    assert await loop.run_once() == 1
    assert await loop.run_once() == 0
    assert [m.text for m in telegram.sent] == ["We are open 9am–5pm."]
    assert [i.status for i in seen.done] == [OutboxStatus.DONE]
    assert seen.done[0].platform_id.endswith(f":{telegram.sent[0].message_id}")
    assert seen.failed == []
    record = store.get(key)
    assert record is not None and record.state is ReviewState.SENT


async def test_a_refused_reply_is_reported_as_given_up(
    telegram: FakeTelegramApi, telegram_adapter: TelegramAdapter, store: SqliteStore
) -> None:
    key = approved_telegram_reply(store, telegram, "We are open 9am–5pm.")
    telegram.fail("/sendMessage", status=400, times=5, body={
        "ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    seen = RecordingListener()
    sender = OutboxSender(store, {Platform.TELEGRAM: telegram_adapter})
    loop = DeliveryLoop(sender, seen)
    await loop.run_once()
    assert telegram.sent == [] and seen.done == []
    assert [i.status for i in seen.failed] == [OutboxStatus.FAILED]
    assert "chat not found" in seen.failed[0].last_error.lower()
    record = store.get(key)
    assert record is not None and record.state is ReviewState.FAILED


async def test_the_outbox_loop_stops_when_asked(
    telegram_adapter: TelegramAdapter, store: SqliteStore
) -> None:
    loop = DeliveryLoop(OutboxSender(store, {Platform.TELEGRAM: telegram_adapter}),
                        idle_seconds=30)
    stop = asyncio.Event()
    task = asyncio.create_task(loop.run(stop))
    await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(task, timeout=5)


# ----------------------------------------------------------------------------- triage


def stored_mention(store: SqliteStore, ident: str, text: str) -> MentionKey:
    mention = Mention(
        id=ident, platform=Platform.TWITTER, kind=Kind.MENTION,
        author=Author("@sam", "Sam"), text=text, created_at=datetime.now(UTC), account=US,
    )
    store.ingest(mention)
    return mention.key


async def test_the_triage_worker_recovers_stored_mentions_and_drains_before_stopping(
    store: SqliteStore, processor: MentionProcessor
) -> None:
    # Stored by an earlier run (or `socialbot ingest`) that stopped before triage.
    gas = stored_mention(store, "1", "I can smell gas in the hallway, please help")
    hours = stored_mention(store, "2", "@westkentha what time do you open on Friday?")
    intake = Intake(store)
    published: list[MentionKey] = []
    worker = TriageWorker(store, processor, intake, publish=published.append)
    assert await worker.recover() == 2
    late = Mention(
        id="3", platform=Platform.TWITTER, kind=Kind.MENTION, author=Author("@jo"),
        text="how do I pay my rent?", created_at=datetime.now(UTC), account=US,
    )
    assert (await intake.accept([late, late])).new == 1

    stop = asyncio.Event()
    stop.set()  # asked to stop at once: what is queued is still finished
    await asyncio.wait_for(worker.run(stop), timeout=60)

    assert sorted(published) == sorted([gas, hours, late.key])
    for key in (gas, hours, late.key):
        record = store.get(key)
        assert record is not None and record.state is ReviewState.QUEUED_FOR_REVIEW
    gas_record = store.get(gas)
    assert gas_record is not None and gas_record.urgent
    assert worker.stats.triaged == 3

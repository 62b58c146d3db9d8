"""The whole service in-process in Socket Mode (the default): the card goes out, an approval
arrives over the WebSocket, the reply goes to Telegram once, and a stop request ends it all."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackApi
from fakes.slack_requests import SlackSender
from fakes.slack_socket_mode import FakeSocketMode
from fakes.telegram_api import FakeTelegramApi

from bot.config import Settings, default_config_text, parse_settings
from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.service.runner import ServeOptions, Service
from bot.slack.app import Mode
from bot.store.factory import SQLITE_FILENAME
from bot.store.sqlite import SqliteStore

APPROVER = "U0APPROVER1"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SOCIALBOT_DATA_DIR", str(tmp_path / "data"))
    return parse_settings(tomllib.loads(default_config_text()), source="test")


@pytest.fixture
def socket_mode() -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        yield server


async def test_socket_mode_serves_an_approval_and_stops_cleanly(
    settings: Settings, socket_mode: FakeSocketMode, processor: MentionProcessor
) -> None:
    routing = settings.slack
    groups = {routing.approvers_usergroup: [APPROVER], routing.comms_usergroup: [APPROVER]}
    with FakeSlackApi(usergroups=groups, socket_mode_url=socket_mode.url) as slack, \
            FakeTelegramApi() as telegram:
        settings.store.data_dir.mkdir(parents=True)
        store = SqliteStore(settings.store.data_dir / SQLITE_FILENAME)
        store.set_cover(APPROVER, "test", datetime.now(UTC) + timedelta(days=1))
        asked = telegram.private_message("Hello, are you open on Good Friday?")
        env = {
            "SLACK_BOT_TOKEN": "xoxb-socket-test", "SLACK_APP_TOKEN": "xapp-socket-test",
            "SLACK_API_URL": slack.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_URL": telegram.base_url,
        }
        service = Service(
            settings, ServeOptions(mode=Mode.SOCKET, host="127.0.0.1", port=0, poll_seconds=1),
            env=env, load_processor=lambda _: processor,
        )
        running = asyncio.create_task(service.run())
        try:
            await asyncio.to_thread(socket_mode.wait_connected, 30)
            inbox = routing.inbox_channel
            await asyncio.to_thread(
                slack.wait_for, lambda: any(m.blocks for m in slack.messages_in(inbox)), 30
            )
            card = next(m for m in slack.messages_in(inbox) if m.blocks)
            value = next(e["value"] for b in card.blocks for e in b.get("elements", []) or []
                         if e.get("action_id") == "socialbot.approve")
            payload = SlackSender("", signing_secret="").block_action(
                "socialbot.approve", value, user=APPROVER, channel=inbox, message_ts=card.ts)
            envelope = await asyncio.to_thread(socket_mode.send, "interactive", payload)
            await asyncio.to_thread(socket_mode.wait_ack, envelope)
            await asyncio.to_thread(telegram.wait_for, lambda: bool(telegram.sent), 30)
            await asyncio.to_thread(
                slack.wait_for, lambda: any(m.thread_ts for m in slack.messages_in(inbox)), 30
            )
        finally:
            service.request_stop("test over")
            code = await asyncio.wait_for(running, timeout=60)

        assert code == 0
        assert [(m.reply_to_message_id, m.chat_id) for m in telegram.sent] == [
            (asked["message_id"], asked["chat"]["id"])
        ]
        (record,) = store.in_state(ReviewState.SENT)
        assert record.mention.text == "Hello, are you open on Good Friday?"
        assert await asyncio.to_thread(
            socket_mode._changed.wait_for, lambda: not socket_mode._sockets, 10
        ), "the WebSocket was not closed"
        assert service.web is not None and service.web.stopped
        store.close()

"""Fixtures for the Slack tests; the rig itself is in slack_rig.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackApi
from fakes.slack_requests import SlackSender
from slack_rig import (
    IN_HOURS,
    SIGNING_SECRET,
    USERGROUPS,
    Clock,
    Rig,
    TrackingExecutor,
    env_for,
    settings,
)

from bot.slack.app import build_slack_app, start_http
from bot.store.sqlite import SqliteStore


@pytest.fixture
def fake() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(usergroups={k: list(v) for k, v in USERGROUPS.items()}) as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(IN_HOURS)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "socialbot.sqlite3", clock=clock)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def rig(fake: FakeSlackApi, store: SqliteStore, clock: Clock) -> Iterator[Rig]:
    executor = TrackingExecutor()
    bot = build_slack_app(
        settings(),
        store,
        mode="http",
        env=env_for(fake),
        clock=clock,
        posting_interval=0.0,
        posting_backoff=0.05,
        retry_given_up_seconds=0.0,
        listener_executor=executor,
    )
    bot.queue.start()
    server = start_http(bot)
    sender = SlackSender(server.url, signing_secret=SIGNING_SECRET,
                         response_url=fake.response_url())
    try:
        yield Rig(fake, store, bot, server, sender, clock, executor)
    finally:
        sender.close()
        server.stop()
        bot.stop()
        executor.shutdown(wait=True)

"""Building the adapters from the environment, and all of them against the fakes at once
(the way `socialbot serve` will point them at the fakes through the *_API_URL variables)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from aiohttp import web
from fakes.flickr_api import FakeFlickrApi
from fakes.graph_api import FakeGraphApi
from fakes.telegram_api import FakeTelegramApi
from fakes.x_api import FakeXApi
from fakes.youtube_api import FakeYouTubeApi

from bot.config import PlatformSettings
from bot.domain import Mention, Platform
from bot.platforms.registry import build_adapters
from bot.platforms.retry import RetryPolicy

SETTINGS = PlatformSettings(
    twitter_user_id="1234567890",
    facebook_page_id="100000000000001",
    flickr_user_id="12345678@N00",
    youtube_channel_id="UCwestkentexample000000",
)


@dataclass
class Fakes:
    telegram: FakeTelegramApi
    x: FakeXApi
    graph: FakeGraphApi
    flickr: FakeFlickrApi
    youtube: FakeYouTubeApi

    def env(self) -> dict[str, str]:
        return {
            "TELEGRAM_BOT_TOKEN": self.telegram.token,
            "TELEGRAM_API_URL": self.telegram.base_url,
            "X_BEARER_TOKEN": self.x.bearer_token,
            "X_USER_ACCESS_TOKEN": self.x.user_token,
            "X_DMS_ENABLED": "1",
            "X_API_URL": self.x.base_url,
            "FACEBOOK_PAGE_TOKEN": self.graph.page_token,
            "FACEBOOK_APP_SECRET": self.graph.app_secret,
            "FACEBOOK_VERIFY_TOKEN": self.graph.verify_token,
            "FACEBOOK_API_URL": self.graph.base_url,
            "FLICKR_API_KEY": self.flickr.api_key,
            "FLICKR_API_URL": self.flickr.base_url,
            "YOUTUBE_API_KEY": self.youtube.api_key,
            "YOUTUBE_API_URL": self.youtube.base_url,
        }


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    with ExitStack() as stack:
        yield Fakes(
            stack.enter_context(FakeTelegramApi()),
            stack.enter_context(FakeXApi()),
            stack.enter_context(FakeGraphApi()),
            stack.enter_context(FakeFlickrApi()),
            stack.enter_context(FakeYouTubeApi()),
        )


def test_nothing_configured_turns_each_platform_off_with_one_line_naming_the_variable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.platforms.registry"):
        adapters = build_adapters(SETTINGS, {})
    assert adapters.sources == [] and adapters.senders == {} and adapters.webhooks == []
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 5
    for platform, variable in [
        ("telegram", "TELEGRAM_BOT_TOKEN"), ("twitter", "X_BEARER_TOKEN"),
        ("facebook", "FACEBOOK_PAGE_TOKEN"), ("flickr", "FLICKR_API_KEY"),
        ("youtube", "YOUTUBE_API_KEY"),
    ]:
        [line] = [m for m in lines if m.startswith(f"{platform} is off")]
        assert variable in line
    assert set(adapters.disabled) == set(Platform)


def test_a_half_configured_platform_names_what_is_missing_and_never_a_value(
    caplog: pytest.LogCaptureFixture,
) -> None:
    env = {"FACEBOOK_PAGE_TOKEN": "EAAGsecretvalue123", "YOUTUBE_API_KEY": "AIzaSecret999"}
    settings = PlatformSettings(facebook_page_id="1")  # no youtube_channel_id
    with caplog.at_level(logging.INFO, logger="bot.platforms.registry"):
        build_adapters(settings, env)
    text = "\n".join(r.getMessage() for r in caplog.records)
    facebook = [r for r in caplog.records if r.getMessage().startswith("facebook")]
    assert len(facebook) == 1 and facebook[0].levelno == logging.WARNING
    assert "FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN are not set" in text
    assert "platforms.youtube_channel_id" in text
    assert "EAAGsecretvalue123" not in text and "AIzaSecret999" not in text


async def test_x_without_a_user_token_reads_but_does_not_reply(
    fakes: Fakes, caplog: pytest.LogCaptureFixture
) -> None:
    env = {k: v for k, v in fakes.env().items() if k != "X_USER_ACCESS_TOKEN"}
    with caplog.at_level(logging.WARNING, logger="bot.platforms.registry"):
        adapters = build_adapters(SETTINGS, env)
    try:
        assert Platform.TWITTER not in adapters.senders
        assert [s.name for s in adapters.sources if s.name.startswith("twitter")] == [
            "twitter:mentions"
        ]
        assert "X_USER_ACCESS_TOKEN" in adapters.disabled[Platform.TWITTER]
    finally:
        await adapters.aclose()


async def test_every_platform_against_its_fake(fakes: Fakes) -> None:
    when = datetime.now(UTC)
    fakes.telegram.private_message("telegram: when are you open?")
    fakes.x.add_mention("x: @westkentha my boiler is broken", created_at=when)
    fakes.x.add_dm("x dm: can you call me?")
    photo = fakes.flickr.add_photo()
    fakes.flickr.add_comment(photo, "flickr: nice photo", datecreate=int(when.timestamp()))
    fakes.youtube.add_comment("youtube: great video", published=when)

    adapters = build_adapters(SETTINGS, fakes.env(), policy=RetryPolicy(attempts=2))
    try:
        assert sorted(s.name for s in adapters.sources) == [
            "flickr:comments", "telegram", "twitter:dms", "twitter:mentions", "youtube:comments",
        ]
        assert set(adapters.senders) == {Platform.TELEGRAM, Platform.TWITTER, Platform.FACEBOOK}
        polled: list[Mention] = []
        for source in adapters.sources:
            polled += (await source.poll(None)).mentions
        assert sorted(m.text.split(":")[0] for m in polled) == [
            "flickr", "telegram", "x", "x dm", "youtube",
        ]
        for mention in polled:
            if mention.platform.answerable:
                await adapters.senders[mention.platform].send_reply(mention, "Thanks!", "k")
        assert len(fakes.telegram.sent) == 1
        assert len(fakes.x.posted) == 1 and len(fakes.x.sent_dms) == 1

        # Facebook comes in through its webhook, mounted the way serve will mount it.
        [endpoint] = adapters.webhooks
        received: list[Mention] = []

        async def sink(mentions: list[Mention]) -> None:
            received.extend(mentions)

        root = web.Application()
        root.add_subapp(endpoint.path, await endpoint.make_app(sink))
        runner = web.AppRunner(root)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        try:
            url = f"http://{host}:{port}{endpoint.path}"
            delivery = fakes.graph.comment_event("facebook: the lift is broken")
            assert await asyncio.to_thread(fakes.graph.deliver, url, delivery) == 200
        finally:
            await runner.cleanup()
        [comment] = received
        await adapters.senders[Platform.FACEBOOK].send_reply(comment, "Thanks!", "k")
        assert fakes.graph.comment_replies[0]["parent"] == comment.id
    finally:
        await adapters.aclose()


async def test_telegram_webhook_mode_registers_the_webhook_instead_of_polling(
    fakes: Fakes,
) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": fakes.telegram.token,
        "TELEGRAM_API_URL": fakes.telegram.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/",
        "TELEGRAM_WEBHOOK_SECRET": "a-long-random-secret",
    }
    adapters = build_adapters(PlatformSettings(), env)
    try:
        assert adapters.sources == []
        [endpoint] = adapters.webhooks
        assert endpoint.platform is Platform.TELEGRAM

        async def sink(mentions: list[Mention]) -> None:
            pass

        app = await endpoint.make_app(sink)
        assert isinstance(app, web.Application)
        assert fakes.telegram.webhook_url == "https://bot.example.org/webhooks/telegram/"
        assert fakes.telegram.webhook_secret == "a-long-random-secret"
    finally:
        await adapters.aclose()

"""The shared pieces: the retry helper, log redaction, the in-memory stand-ins, and the
policy that nothing here can follow or like anyone."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from fakes.sleep import RecordedSleep

import bot.platforms
from bot.domain import Author, Kind, Mention, Platform
from bot.errors import DeliveryUnknown, PlatformError, RateLimited
from bot.platforms.base import PollingSource, ReplySender
from bot.platforms.memory import MemorySender, MemorySource
from bot.platforms.redact import protect_logs
from bot.platforms.retry import RetryPolicy, TryAgain, retrying, wait_from_headers


def mention(ident: str = "1") -> Mention:
    return Mention(ident, Platform.TWITTER, Kind.MENTION, Author("@a"), "hi",
                   datetime(2025, 1, 1, tzinfo=UTC))


def test_wait_from_headers_reads_seconds_dates_and_resets() -> None:
    now = 1_000_000.0
    assert wait_from_headers({"retry-after": "3"}, lambda: now) == 3.0
    date = format_datetime(datetime.fromtimestamp(now + 30, tz=UTC), usegmt=True)
    assert wait_from_headers({"retry-after": date}, lambda: now) == pytest.approx(30)
    assert wait_from_headers({"x-rate-limit-reset": str(int(now) + 12)}, lambda: now) == 12
    assert wait_from_headers(
        {"x-rate-limit-reset": str(int(now) + 12)}, lambda: now, rate_limited=False
    ) is None
    assert wait_from_headers({"retry-after": "soon"}, lambda: now) is None
    assert wait_from_headers({}, lambda: now) is None


async def test_a_longer_wait_than_we_accept_becomes_rate_limited() -> None:
    sleeps = RecordedSleep()

    async def attempt() -> str:
        raise TryAgain("429", wait=900)

    with pytest.raises(RateLimited) as caught:
        await retrying("x", attempt, RetryPolicy(max_delay=60, sleep=sleeps))
    assert caught.value.retry_after == 900 and sleeps.waits == []


async def test_a_send_in_doubt_is_checked_and_never_blindly_repeated() -> None:
    calls: list[str] = []
    policy = RetryPolicy(sleep=RecordedSleep())

    async def lost() -> str:
        calls.append("send")
        raise TryAgain("connection reset", maybe_done=True, answered=False)

    with pytest.raises(DeliveryUnknown):
        await retrying("x", lost, policy)
    assert calls == ["send"]

    async def found() -> str | None:
        calls.append("check")
        return "reply-7"

    calls.clear()
    assert await retrying("x", lost, policy, already_done=found) == "reply-7"
    assert calls == ["send", "check"]

    async def check_fails() -> str | None:
        raise PlatformError("x", "down", retryable=True)

    with pytest.raises(DeliveryUnknown, match="checking whether the reply went out failed"):
        await retrying("x", lost, policy, already_done=check_fails)


def test_redaction_hides_tokens_in_urls_and_registered_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protect_logs("registered-secret-value")
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info(
            "HTTP Request: GET %s", "https://api.telegram.org/bot123456:AAbbCC_dd-ee/getMe"
            "?api_key=abcdef&access_token=xyz123&x=registered-secret-value",
        )
    [message] = [r.getMessage() for r in caplog.records]
    assert "AAbbCC_dd-ee" not in message and "abcdef" not in message
    assert "xyz123" not in message and "registered-secret-value" not in message
    assert "/bot<redacted>/getMe" in message and "x=<redacted>" in message


async def test_memory_stand_ins_follow_the_interfaces() -> None:
    source = MemorySource("memory", [mention("1")])
    sender = MemorySender(Platform.TWITTER)
    assert isinstance(source, PollingSource) and isinstance(sender, ReplySender)
    first = await source.poll(None)
    source.add(mention("2"))
    assert [m.id for m in (await source.poll(first.cursor)).mentions] == ["2"]
    reply = await sender.send_reply(mention("1"), "hello", "k1")
    assert await sender.find_sent(mention("1"), "k1") == reply
    assert await sender.find_sent(mention("1"), "k2") is None
    with pytest.raises(PlatformError):
        await MemorySender(Platform.FLICKR).send_reply(mention(), "no", "k")


def test_no_adapter_can_follow_or_like_anyone() -> None:
    """Policy §2.1: we never follow, like, friend or join anyone back."""
    package = Path(bot.platforms.__file__).parent
    calls = re.compile(
        r"/(following|follows|likes|liked_tweets|retweets|friendships|friends|subscriptions)\b"
        r"|\b(follow|like|subscribe)_\w*\(",
        re.IGNORECASE,
    )
    offending = [
        f"{path.name}:{number}: {text.strip()}"
        for path in sorted(package.glob("*.py"))
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if calls.search(text)
    ]
    assert offending == []

"""Shared bits of the platform adapter tests."""

from __future__ import annotations

import pytest

from bot.platforms.retry import RetryPolicy


class RecordedSleep:
    """Stands in for asyncio.sleep in RetryPolicy: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def policy(sleeps: RecordedSleep) -> RetryPolicy:
    return RetryPolicy(attempts=4, base_delay=0.5, max_delay=60.0, sleep=sleeps)

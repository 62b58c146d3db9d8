"""Shared fixtures of the platform adapter tests."""

from __future__ import annotations

import pytest
from fakes.sleep import RecordedSleep

from bot.platforms.retry import RetryPolicy


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def policy(sleeps: RecordedSleep) -> RetryPolicy:
    return RetryPolicy(attempts=4, base_delay=0.5, max_delay=60.0, sleep=sleeps)

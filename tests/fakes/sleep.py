"""A stand-in for asyncio.sleep (for RetryPolicy.sleep and the like) that records the waits
instead of waiting, so back-off can be checked without timed assertions."""

from __future__ import annotations


class RecordedSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

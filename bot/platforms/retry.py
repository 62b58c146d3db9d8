"""Trying a platform call again: exponential back-off that honours what the platform asks for.

An attempt raises ``TryAgain`` to ask for another try (429, 5xx, a dropped connection).
``retrying`` waits (the platform's Retry-After / rate-limit reset when it gives one, else
``base_delay * 2**n``) and tries again, and after the last try raises a retryable
``PlatformError`` so that the caller can schedule a later attempt.

Sending a reply is not idempotent on any platform we use: a 5xx or a lost connection after
the request went out may mean the reply was posted. Before trying such a send again we ask
the adapter whether the reply is already there (``already_done``); where the platform cannot
tell and no answer came back at all, we stop with ``DeliveryUnknown`` instead of risking a
second post.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

from bot.errors import DeliveryUnknown, PlatformError, RateLimited

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 1.0
    #: The longest wait done in place. A platform asking for more (X's 15-minute windows)
    #: gets a RateLimited error instead, so that a poll loop is not stuck sleeping.
    max_delay: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)
    clock: Callable[[], float] = field(default=time.time, compare=False)

    def backoff(self, attempt: int) -> float:
        """Wait after the ``attempt``-th failure (1-based) when the platform named none."""
        return float(min(self.base_delay * 2.0 ** (attempt - 1), self.max_delay))


class TryAgain(Exception):
    """Raised by an attempt that may succeed if tried again.

    ``wait``: seconds the platform asked for, if it said. ``maybe_done``: the request was not
    idempotent and may have taken effect. ``answered``: the platform sent a response (a 5xx),
    as opposed to a connection that broke after the request went out.
    """

    def __init__(
        self,
        reason: str,
        *,
        wait: float | None = None,
        maybe_done: bool = False,
        answered: bool = True,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.maybe_done = maybe_done
        self.answered = answered


async def retrying(
    platform: str,
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    already_done: Callable[[], Awaitable[T | None]] | None = None,
) -> T:
    """Run ``attempt`` until it succeeds, raises something other than TryAgain, or we give up."""
    for number in range(1, policy.attempts + 1):
        try:
            return await attempt()
        except TryAgain as exc:
            if exc.maybe_done:
                found = await _check_done(platform, exc, already_done)
                if found is not None:
                    return found
            if number == policy.attempts:
                raise PlatformError(
                    platform, f"{exc.reason} (gave up after {number} tries)", retryable=True
                ) from exc
            wait = exc.wait if exc.wait is not None else policy.backoff(number)
            if wait > policy.max_delay:
                raise RateLimited(
                    platform, f"{exc.reason}; asked to wait {wait:.0f}s", retry_after=wait
                ) from exc
            log.warning(
                "%s: %s; trying again in %.1fs (try %d of %d)",
                platform, exc.reason, wait, number + 1, policy.attempts,
            )
            await policy.sleep(max(wait, 0.0))
    raise AssertionError("unreachable: attempts must be at least 1")


async def _check_done(
    platform: str, exc: TryAgain, already_done: Callable[[], Awaitable[T | None]] | None
) -> T | None:
    """Whether a send that may have happened did; raises DeliveryUnknown when nobody can tell."""
    if already_done is None:
        if exc.answered:
            # The platform answered with an error: it is up and says it failed.
            return None
        raise DeliveryUnknown(
            platform,
            f"{exc.reason}: the reply may have been posted; check on {platform} before "
            "sending it again",
        ) from exc
    try:
        found = await already_done()
    except PlatformError as check_exc:
        raise DeliveryUnknown(
            platform,
            f"{exc.reason}, and checking whether the reply went out failed too "
            f"({check_exc}); check on {platform} before sending it again",
        ) from exc
    if found is not None:
        log.warning("%s: %s, but the reply had been posted (id %s)", platform, exc.reason, found)
    return found


def wait_from_headers(
    headers: Mapping[str, str], clock: Callable[[], float], *, rate_limited: bool = True
) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or, for a 429, from
    x-rate-limit-reset (epoch seconds; X sends it on every answer, errors included)."""
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            return None
        return max(when.timestamp() - clock(), 0.0)
    reset = headers.get("x-rate-limit-reset", "").strip()
    if reset and rate_limited:
        try:
            return max(float(reset) - clock(), 0.0)
        except ValueError:
            return None
    return None

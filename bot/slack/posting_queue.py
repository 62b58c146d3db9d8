"""Every message socialbot writes to a channel goes through here, one at a time.

Slack allows about one message per second per channel; a burst (the morning's held cards, a
storm) would otherwise be refused. The queue keeps that pace per channel, lets urgent cards
jump the line, then card updates (a person is looking at the card they clicked), then the
rest. A 429 is retried inside slack_sdk by RateLimitErrorRetryHandler (after Retry-After);
anything else that may pass (network down, Slack 5xx) is retried here with a growing pause;
an error that will not pass (channel not found, blocks refused) is given up at once. Giving up
never loses a mention: it is still queued for review in the store and the card is posted
again on the next sweep.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors import StoreError, UnknownMention
from bot.slack.cards import Card

log = logging.getLogger(__name__)

#: Seconds between two messages in the same channel.
MIN_INTERVAL = 1.0
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 60.0

#: Errors that trying again will not fix.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "restricted_action",
    }
)

URGENT, UPDATE, NORMAL = 0, 1, 2

Done = Callable[[dict[str, Any]], None]
GiveUp = Callable[[Exception], None]
#: Draws a card when its turn comes; may raise (e.g. UnknownMention) to give the job up.
Render = Callable[[], Card]


@dataclass(order=True)
class Job:
    priority: int
    seq: int
    channel: str = field(compare=False)
    method: str = field(compare=False)  # chat.postMessage or chat.update
    args: dict[str, Any] = field(compare=False)
    on_done: Done | None = field(compare=False, default=None)
    on_give_up: GiveUp | None = field(compare=False, default=None)
    attempts: int = field(compare=False, default=0)
    not_before: float = field(compare=False, default=0.0)
    # Set for cards drawn only when posted: a queue of thousands then holds no blocks.
    render: Render | None = field(compare=False, default=None)


class _Lane:
    """One channel's jobs: those that may go (by priority, then arrival) and those waiting
    to retry (by when they may)."""

    __slots__ = ("delayed", "ready")

    def __init__(self) -> None:
        self.ready: list[Job] = []
        self.delayed: list[tuple[float, int, Job]] = []

    def promote(self, now: float) -> None:
        while self.delayed and self.delayed[0][0] <= now:
            heapq.heappush(self.ready, heapq.heappop(self.delayed)[2])


class Schedule:
    """Which job may go next, keeping the pace per channel. Pure: the caller gives the time.

    A heap per channel, so a pick costs O(channels + log n) rather than a scan of every
    queued job: the channels are the handful in the settings, the jobs can be thousands.
    """

    def __init__(self, min_interval: float = MIN_INTERVAL) -> None:
        self.min_interval = min_interval
        self._lanes: dict[str, _Lane] = {}
        self._free_at: dict[str, float] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, job: Job) -> None:
        lane = self._lanes.get(job.channel)
        if lane is None:
            lane = self._lanes[job.channel] = _Lane()
        if job.not_before > 0.0:
            heapq.heappush(lane.delayed, (job.not_before, job.seq, job))
        else:
            heapq.heappush(lane.ready, job)
        self._count += 1

    def ready_at(self, job: Job) -> float:
        return max(self._free_at.get(job.channel, 0.0), job.not_before)

    def pick(self, now: float) -> tuple[Job | None, float]:
        """The best job that may go at ``now`` (removed from the schedule), else how long
        until one may go (``inf`` when there is none)."""
        best: Job | None = None
        best_lane: _Lane | None = None
        wait = float("inf")
        for channel, lane in self._lanes.items():
            lane.promote(now)
            free = self._free_at.get(channel, 0.0)
            if lane.ready and free <= now:
                head = lane.ready[0]
                if best is None or head < best:
                    best, best_lane = head, lane
                continue
            if lane.ready:
                wait = min(wait, free - now)
            elif lane.delayed:
                wait = min(wait, max(free, lane.delayed[0][0]) - now)
        if best is None or best_lane is None:
            return None, wait
        heapq.heappop(best_lane.ready)
        if not best_lane.ready and not best_lane.delayed:
            del self._lanes[best.channel]
        self._count -= 1
        return best, 0.0

    def sent(self, channel: str, now: float) -> None:
        self._free_at[channel] = now + self.min_interval


class PostingQueue:
    def __init__(
        self,
        client: WebClient,
        *,
        min_interval: float = MIN_INTERVAL,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_seconds: float = BACKOFF_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._schedule = Schedule(min_interval)
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._now = monotonic
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None

    # ----- adding work ---------------------------------------------------------------------

    def post(
        self,
        channel: str,
        card: Card,
        *,
        thread_ts: str = "",
        urgent: bool = False,
        on_done: Done | None = None,
        on_give_up: GiveUp | None = None,
    ) -> None:
        args: dict[str, Any] = {"channel": channel, "text": card.text, "blocks": card.blocks}
        if thread_ts:
            args["thread_ts"] = thread_ts
        priority = URGENT if urgent else NORMAL
        self._add(priority, channel, "chat.postMessage", args, on_done, on_give_up)

    def post_drawn_later(
        self,
        channel: str,
        render: Render,
        *,
        urgent: bool = False,
        on_done: Done | None = None,
        on_give_up: GiveUp | None = None,
    ) -> None:
        """Like :meth:`post`, but the card is drawn by ``render`` when its turn comes (again on
        each attempt), so the queue holds no blocks and the card shows the state of the moment."""
        priority = URGENT if urgent else NORMAL
        args: dict[str, Any] = {"channel": channel}
        self._add(priority, channel, "chat.postMessage", args, on_done, on_give_up, render)

    def update(
        self,
        channel: str,
        ts: str,
        card: Card,
        *,
        on_done: Done | None = None,
        on_give_up: GiveUp | None = None,
    ) -> None:
        args = {"channel": channel, "ts": ts, "text": card.text, "blocks": card.blocks}
        self._add(UPDATE, channel, "chat.update", args, on_done, on_give_up)

    def _add(
        self,
        priority: int,
        channel: str,
        method: str,
        args: dict[str, Any],
        on_done: Done | None,
        on_give_up: GiveUp | None,
        render: Render | None = None,
    ) -> None:
        job = Job(priority, next(self._seq), channel, method, args, on_done, on_give_up)
        job.render = render
        with self._cond:
            self._schedule.add(job)
            self._cond.notify_all()

    # ----- running -------------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="slack-posting", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything queued now has been posted or given up; False on timeout."""
        deadline = self._now() + timeout
        with self._cond:
            while len(self._schedule) or self._busy:
                left = deadline - self._now()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
        return True

    def pending(self) -> int:
        with self._cond:
            return len(self._schedule) + (1 if self._busy else 0)

    def _run(self) -> None:
        while True:
            with self._cond:
                job: Job | None = None
                while not self._stopping:
                    job, wait = self._schedule.pick(self._now())
                    if job is not None:
                        break
                    self._cond.wait(None if wait == float("inf") else wait)
                if self._stopping or job is None:
                    return
                self._busy = True
            try:
                self._attempt(job)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _attempt(self, job: Job) -> None:
        job.attempts += 1
        args = job.args
        if job.render is not None:
            try:
                card = job.render()
            except UnknownMention as exc:
                self._failed(job, exc, permanent=True)
                return
            except Exception as exc:  # a bug or the store failing must not stop the queue
                log.exception("drawing a card for %s", job.channel)
                self._failed(job, exc, permanent=not isinstance(exc, StoreError))
                return
            args = {**args, "text": card.text, "blocks": card.blocks}
        try:
            response = self._client.api_call(job.method, json=args)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "")) if exc.response is not None else ""
            self._mark_sent(job.channel)
            self._failed(job, exc, permanent=error in PERMANENT_ERRORS)
            return
        except (SlackClientError, OSError) as exc:
            self._failed(job, exc, permanent=False)
            return
        self._mark_sent(job.channel)
        if job.on_done is not None:
            try:
                job.on_done(dict(response.data) if isinstance(response.data, dict) else {})
            except Exception:
                log.exception("after %s in %s", job.method, job.channel)

    def _mark_sent(self, channel: str) -> None:
        with self._cond:
            self._schedule.sent(channel, self._now())

    def _failed(self, job: Job, exc: Exception, *, permanent: bool) -> None:
        if not permanent and job.attempts < self._max_attempts:
            pause = min(self._backoff * 2 ** (job.attempts - 1), MAX_BACKOFF_SECONDS)
            log.warning(
                "%s to %s failed (%s); trying again in %.0fs", job.method, job.channel, exc, pause
            )
            job.not_before = self._now() + pause
            with self._cond:
                self._schedule.add(job)
                self._cond.notify_all()
            return
        log.error("%s to %s failed, giving up: %s", job.method, job.channel, exc)
        if job.on_give_up is not None:
            try:
                job.on_give_up(exc)
            except Exception:
                log.exception("after giving up %s in %s", job.method, job.channel)

"""Cards are drawn when their turn comes, and the schedule picks as a full scan would.

The posting queue holds only what a card needs to be drawn (the mention's key and the
route), so a storm's thousands of waiting cards cost no blocks; a decision that lands while
the card is on the wire is still redrawn. The schedule's heaps are checked against the plain
"scan every job" rule on random traffic: same job, same wait.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from fakes.slack_api import FakeSlackApi
from slack_rig import APPROVER, USERGROUPS, Rig, add_mention
from slack_sdk import WebClient

from bot.errors import StoreError, UnknownMention
from bot.slack.cards import Card
from bot.slack.posting_queue import Job, PostingQueue, Schedule


class HookedSlackApi(FakeSlackApi):
    """The fake Slack API, running ``before_post`` before it answers a chat.postMessage."""

    before_post: Any = None

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        hook, self.before_post = self.before_post, None
        if hook is not None:
            hook()
        return super()._m_chat_postMessage(args)


@pytest.fixture
def fake() -> Iterator[FakeSlackApi]:
    with HookedSlackApi(usergroups={k: list(v) for k, v in USERGROUPS.items()}) as server:
        yield server


def test_a_decision_landing_while_the_card_is_on_the_wire_is_redrawn(rig: Rig) -> None:
    key = add_mention(rig.store)
    rig.store.queue_for_review(key)
    assert isinstance(rig.fake, HookedSlackApi)
    # Drawn with buttons; approved before Slack answers: the card must be redrawn.
    rig.fake.before_post = lambda: rig.store.approve(key, actor=APPROVER)

    rig.bot.desk.publish(key)
    rig.settle()

    card = rig.card(key)
    assert card.updates == 1
    assert "Approved by" in str(card.blocks)


def test_a_card_is_drawn_from_the_store_when_posted(rig: Rig) -> None:
    first, second = add_mention(rig.store), add_mention(rig.store)
    rig.bot.queue.stop()  # hold the posting queue
    rig.bot.desk.publish(first)
    rig.bot.desk.publish(second)
    rig.store.approve(second, actor=APPROVER)
    rig.bot.queue.start()
    rig.settle()

    assert "Approved by" not in str(rig.card(first).blocks)
    assert "Approved by" in str(rig.card(second).blocks)
    assert rig.card(second).updates == 0


def test_a_card_that_cannot_be_drawn_is_given_up_or_retried_and_the_queue_goes_on() -> None:
    with FakeSlackApi() as fake:
        queue = PostingQueue(
            WebClient(token="xoxb-test", base_url=fake.base_url),
            min_interval=0.0, backoff_seconds=0.01,
        )
        given_up: list[Exception] = []
        posted: list[str] = []
        attempts = {"flaky": 0}

        def gone() -> Card:
            raise UnknownMention("no mention twitter:1")

        def flaky() -> Card:
            attempts["flaky"] += 1
            if attempts["flaky"] == 1:
                raise StoreError("database is locked")
            return Card("flaky", [])

        queue.post_drawn_later("C1", gone, on_give_up=given_up.append)
        queue.post_drawn_later("C1", flaky, on_done=lambda r: posted.append("flaky"))
        queue.post("C1", Card("plain", []), on_done=lambda r: posted.append("plain"))
        queue.start()
        try:
            assert queue.flush(timeout=10)
        finally:
            queue.stop()

        assert len(given_up) == 1 and isinstance(given_up[0], UnknownMention)
        assert sorted(posted) == ["flaky", "plain"] and attempts["flaky"] == 2
        assert sorted(c.args["text"] for c in fake.calls_to("chat.postMessage")) == [
            "flaky", "plain",
        ]


class ScanSchedule:
    """The rule the schedule keeps, as a scan of every job: the best job whose channel is
    free and whose retry time has come; else the wait until the first one may go."""

    def __init__(self, min_interval: float) -> None:
        self.min_interval = min_interval
        self.jobs: list[Job] = []
        self.last: dict[str, float] = {}

    def pick(self, now: float) -> tuple[Job | None, float]:
        ready: list[Job] = []
        wait = float("inf")
        for job in self.jobs:
            last = self.last.get(job.channel)
            at = max(last + self.min_interval if last is not None else 0.0, job.not_before)
            if at <= now:
                ready.append(job)
            else:
                wait = min(wait, at - now)
        if not ready:
            return None, wait
        best = min(ready)
        self.jobs.remove(best)
        return best, 0.0


@pytest.mark.parametrize("seed", range(20))
def test_the_schedule_picks_what_a_scan_of_every_job_would(seed: int) -> None:
    rng = random.Random(seed)
    heaps, scan = Schedule(1.0), ScanSchedule(1.0)
    now, seq = 100.0, 0
    for _ in range(600):
        roll = rng.random()
        if roll < 0.45:
            channel, priority = rng.choice("ABCD"), rng.choice((0, 1, 2))
            not_before = rng.choice((0.0, 0.0, 0.0, now + rng.random() * 5, now - 1.0))
            for schedule_jobs in (heaps.add, scan.jobs.append):
                job = Job(priority, seq, channel, "chat.postMessage", {})
                job.not_before = not_before
                schedule_jobs(job)
            seq += 1
        elif roll < 0.85:
            got, wait = heaps.pick(now)
            want, want_wait = scan.pick(now)
            assert (got and got.seq) == (want and want.seq)
            assert wait == pytest.approx(want_wait) or wait == want_wait == float("inf")
            if got is not None and rng.random() < 0.8:  # else: a network error, no send
                heaps.sent(got.channel, now)
                scan.last[got.channel] = now
        else:
            now += rng.random() * 1.5
        assert len(heaps) == len(scan.jobs)


def test_the_schedule_gives_back_every_job_once_in_priority_then_arrival_order() -> None:
    schedule = Schedule(0.0)
    for seq in range(2000):
        schedule.add(Job(seq % 3, seq, f"C{seq % 4}", "chat.postMessage", {}))
    picked = []
    while True:
        job, wait = schedule.pick(now=1.0)
        if job is None:
            assert wait == float("inf")
            break
        picked.append((job.priority, job.seq))
    assert picked == sorted(picked) and len(picked) == 2000 and len(schedule) == 0

"""The posting queue: about one message per second per channel, urgent cards first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from fakes.slack_api import FakeSlackApi
from slack_sdk import WebClient

from bot.slack.cards import Card
from bot.slack.posting_queue import NORMAL, UPDATE, URGENT, Job, PostingQueue, Schedule


def _job(seq: int, channel: str, priority: int = NORMAL) -> Job:
    return Job(priority, seq, channel, "chat.postMessage", {"n": seq})


def test_urgent_first_then_updates_then_the_rest() -> None:
    schedule = Schedule(min_interval=1.0)
    for job in (_job(1, "C1"), _job(2, "C2", UPDATE), _job(3, "C3", URGENT), _job(4, "C4")):
        schedule.add(job)

    picked = []
    for _ in range(4):
        job, _wait = schedule.pick(now=100.0)
        assert job is not None
        picked.append(job.seq)
    assert picked == [3, 2, 1, 4]


def test_one_message_per_interval_per_channel() -> None:
    schedule = Schedule(min_interval=1.0)
    for job in (_job(1, "C1"), _job(2, "C1"), _job(3, "C2")):
        schedule.add(job)

    first, _ = schedule.pick(now=10.0)
    assert first is not None and first.seq == 1
    schedule.sent("C1", 10.0)
    other, _ = schedule.pick(now=10.1)  # C1 must wait; C2 need not
    assert other is not None and other.seq == 3
    schedule.sent("C2", 10.1)
    blocked, wait = schedule.pick(now=10.2)
    assert blocked is None and abs(wait - 0.8) < 1e-9
    later, _ = schedule.pick(now=11.0)
    assert later is not None and later.seq == 2


def test_a_job_waiting_to_retry_is_not_picked_early() -> None:
    schedule = Schedule(min_interval=0.0)
    retry = _job(1, "C1", URGENT)
    retry.not_before = 50.0
    schedule.add(retry)
    schedule.add(_job(2, "C1"))

    job, _ = schedule.pick(now=40.0)
    assert job is not None and job.seq == 2
    nothing, wait = schedule.pick(now=40.0)
    assert nothing is None and wait == 10.0


def test_the_real_queue_keeps_the_pace_against_slack() -> None:
    interval = 0.2
    with FakeSlackApi() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        queue = PostingQueue(client, min_interval=interval)
        posted: list[str] = []
        done = threading.Event()

        def note(name: str) -> Callable[[dict[str, Any]], None]:
            def on_done(response: dict[str, Any]) -> None:
                posted.append(name)
                if len(posted) == 5:
                    done.set()
            return on_done

        for name in ("a1", "a2", "a3"):
            queue.post("C1", Card(name, []), on_done=note(name))
        queue.post("C2", Card("b1", []), on_done=note("b1"))
        queue.post("C1", Card("urgent", []), urgent=True, on_done=note("urgent"))
        queue.start()
        try:
            assert done.wait(10)
        finally:
            queue.stop()

        assert posted[0] == "urgent"
        assert [p for p in posted if p.startswith("a")] == ["a1", "a2", "a3"]
        c1 = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C1"]
        gaps = [later.at - earlier.at for earlier, later in pairwise(c1)]
        assert len(gaps) == 3 and all(gap >= interval for gap in gaps)

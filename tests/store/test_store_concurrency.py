"""Many people (threads, processes) deciding the same mention at once: one decision wins,
and one reply is sent. Two sender processes never deliver the same item."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from fakes.reply_platform import FakeReplyPlatform, HttpReplySender
from store_backends import Backend, make_mention, queued

from bot.domain import Platform
from bot.errors import AlreadyDecided, StoreError
from bot.review.states import ReviewState
from bot.store.outbox import OutboxSender
from bot.store.sql import SqlStore

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("store_worker.py")
REPO = Path(__file__).resolve().parents[2]


def run_worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, text=True, env=env
    )


async def deliver(store: SqlStore, platform: FakeReplyPlatform) -> None:
    sender = HttpReplySender(platform.url)
    try:
        await OutboxSender(store, {Platform.TWITTER: sender}).drain()
    finally:
        await sender.aclose()


async def test_threads_approving_at_once_send_one_reply(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def click(n: int) -> None:
        start.wait()
        try:
            if n % 2:
                store.approve(mention.key, actor=f"U{n}")
            else:
                store.approve_edited(mention.key, actor=f"U{n}", text=f"Reply from U{n}")
            outcomes.append("won")
        except AlreadyDecided:
            outcomes.append("lost")

    threads = [threading.Thread(target=click, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost"] * 7 + ["won"]
    assert len(store.outbox_for(mention.key)) == 1
    decisions = [t for t in store.history(mention.key) if t.actor.startswith("U")]
    assert len(decisions) == 1
    with FakeReplyPlatform() as platform:
        await deliver(store, platform)
        assert len(platform.replies_to("1")) == 1
        assert platform.replies[0].text == store.outbox_for(mention.key)[0].text


def test_threads_taking_different_decisions_at_once_leave_one(store: SqlStore) -> None:
    mention = queued(store, make_mention("1"))
    start = threading.Barrier(4)
    errors: list[type[StoreError]] = []
    decisions = [
        lambda: store.approve(mention.key, actor="U_A"),
        lambda: store.reject(mention.key, actor="U_B"),
        lambda: store.escalate(mention.key, actor="U_C"),
        lambda: store.ignore(mention.key, actor="U_D"),
    ]

    def act(decision: object) -> None:
        start.wait()
        try:
            decision()  # type: ignore[operator]
        except AlreadyDecided as exc:
            errors.append(type(exc))

    threads = [threading.Thread(target=act, args=(d,)) for d in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = store.history(mention.key)
    assert len([t for t in history if t.actor.startswith("U_")]) == 4 - len(errors)
    record = store.get(mention.key)
    assert record is not None
    # Escalation leaves the mention open, so one of the others may follow it; no more.
    if record.state is ReviewState.ESCALATED:
        assert len(errors) == 3
    else:
        assert len(errors) in (2, 3)
    assert len(store.outbox_for(mention.key)) == (record.state is ReviewState.APPROVED)


async def test_processes_approving_at_once_send_one_reply(
    store: SqlStore, backend: Backend
) -> None:
    mention = queued(store, make_mention("1"))
    start_at = f"{time.time() + 2.0:.3f}"  # time for every interpreter to start
    workers = [
        run_worker("approve", *backend.argv(), json.dumps(mention.key), f"U{n}", start_at)
        for n in range(5)
    ]
    outputs = [w.communicate(timeout=30)[0].strip() for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert sorted(outputs) == ["lost:AlreadyDecided"] * 4 + ["won"], outputs
    assert len(store.outbox_for(mention.key)) == 1
    real_time = backend.open()  # the workers approved on the real clock, not the test's
    try:
        with FakeReplyPlatform() as platform:
            await deliver(real_time, platform)
            assert len(platform.replies_to("1")) == 1
    finally:
        real_time.close()


def test_two_sender_processes_never_deliver_the_same_item(
    store: SqlStore, backend: Backend
) -> None:
    count = 60
    for n in range(count):
        mention = queued(store, make_mention(str(n)))
        store.approve(mention.key, actor="U1")
    with FakeReplyPlatform() as platform:
        senders = [
            run_worker("send", *backend.argv(), platform.url, f"sender{n}", "30")
            for n in range(2)
        ]
        outputs = [s.communicate(timeout=60)[0].strip() for s in senders]
        assert all(s.returncode == 0 for s in senders), outputs
        replies, duplicates = platform.snapshot()
    per_mention = Counter(r.mention_id for r in replies)
    assert per_mention == Counter({str(n): 1 for n in range(count)})
    assert not duplicates, "an item was posted by both workers"
    claimed = [int(o.split()[1]) for o in outputs]
    assert sum(claimed) == count  # each item claimed by exactly one of them
    for n in range(count):
        record = store.get(("twitter", "westkentha", str(n)))
        assert record is not None and record.state is ReviewState.SENT

"""Kill the worker at random moments (SIGKILL) while it ingests, decides and sends a few
hundred mentions; restart it each time. Afterwards every mention is stored once and every
approved reply was posted exactly once: the fake platform's own record is the proof."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from fakes.reply_platform import FakeReplyPlatform
from store_backends import Backend

from bot.review.states import ReviewState

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("store_worker.py")
REPO = Path(__file__).resolve().parents[2]
MENTIONS = 300
RANDOM_KILLS = 10
# The worker kills itself right after these replies were posted, before recording them: the
# exact window in which a naive sender would post twice after a restart.
CRASH_AFTER_POST = ("7", "123", "251")
LEASE_SECONDS = "0.5"


def start(backend: Backend, mentions_file: Path, url: str, worker: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "CRASH_AFTER_POST": ",".join(CRASH_AFTER_POST),
    }
    return subprocess.Popen(
        [
            sys.executable, str(WORKER), "pipeline", *backend.argv(), str(mentions_file),
            url, worker, LEASE_SECONDS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_killed_workers_lose_nothing_and_post_nothing_twice(
    backend: Backend, tmp_path: Path
) -> None:
    rng = random.Random(20250303)
    mentions_file = tmp_path / "mentions.json"
    mentions_file.write_text(
        json.dumps([{"id": str(n), "text": f"When are you open? ({n})"} for n in range(MENTIONS)])
    )
    killed = runs = 0
    with FakeReplyPlatform() as platform:
        # Random kills, each a little later into the run than the last on average.
        for round_no in range(RANDOM_KILLS):
            worker = start(backend, mentions_file, platform.url, f"worker{round_no}")
            runs += 1
            time.sleep(rng.uniform(0.3, 1.2))
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                killed += 1
            worker.communicate(timeout=30)
        # Then let it finish (it still kills itself after the chosen posts, once each).
        for round_no in range(len(CRASH_AFTER_POST) + 2):
            worker = start(backend, mentions_file, platform.url, f"final{round_no}")
            runs += 1
            out, err = worker.communicate(timeout=60)
            if worker.returncode == 0:
                break
            assert worker.returncode == -signal.SIGKILL, err  # only our own kills
        assert worker.returncode == 0 and out.strip() == "done", err
        replies, duplicates = platform.snapshot()
        lookups = list(platform.lookups)

    assert killed >= RANDOM_KILLS // 2, "the random kills did not land while it worked"
    store = backend.open()
    try:
        approved = {str(n) for n in range(MENTIONS) if n % 10}
        # Every mention stored once, with one ingest in its history.
        for n in range(MENTIONS):
            key = ("twitter", "westkentha", str(n))
            record = store.get(key)
            assert record is not None, f"mention {n} was lost"
            expected = ReviewState.SENT if str(n) in approved else ReviewState.REJECTED
            assert record.state is expected, (n, record.state)
            history = store.history(key)
            assert [t.to_state for t in history].count(ReviewState.RECEIVED) == 1
            if record.state is ReviewState.SENT:
                [reply] = [r for r in replies if r.mention_id == str(n)]
                assert record.reply_platform_id == reply.id
        # The platform's record: exactly one reply per approved mention, none for rejected.
        assert Counter(r.mention_id for r in replies) == Counter(dict.fromkeys(approved, 1))
        assert not duplicates, f"posted twice (caught by the idempotency key): {duplicates}"
        # The crash windows were really hit, and settled by asking the platform.
        found_after_crash = {key for key, found in lookups if found}
        crashed_keys = {r.idempotency_key for r in replies if r.mention_id in CRASH_AFTER_POST}
        assert crashed_keys <= found_after_crash
        assert sum(1 for _ in store.transitions()) >= MENTIONS * 4
    finally:
        store.close()

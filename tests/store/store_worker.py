"""A worker process for the concurrency and crash tests (run as a script, never imported).

    store_worker.py approve  KIND TARGET SCHEMA KEY_JSON ACTOR START_AT
    store_worker.py pipeline KIND TARGET SCHEMA MENTIONS_JSON PLATFORM_URL WORKER LEASE_S
    store_worker.py send     KIND TARGET SCHEMA PLATFORM_URL WORKER LEASE_S

``approve`` waits until START_AT (epoch seconds) so that every process approves at once, then
prints "won" or "lost:<error class>". ``pipeline`` ingests, triages, queues and decides every
mention in the file (idempotently: it may have been killed and restarted) and delivers the
outbox until nothing is left; $CRASH_AFTER_POST lists mention ids after whose post it kills
itself, before recording the platform's answer (only on the first post). ``send`` only
delivers the outbox.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: bot
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests: fakes
sys.path.insert(0, str(Path(__file__).resolve().parent))  # store_backends

from fakes.reply_platform import HttpReplySender
from store_backends import HOURS_DRAFT, open_from_argv

from bot.domain import Author, Draft, Intent, Kind, Mention, Platform, Triage
from bot.errors import AlreadyDecided, StoreError
from bot.review.states import ReviewState
from bot.store.outbox import Backoff, OutboxSender
from bot.store.sql import SqlStore

S = ReviewState


def approve(argv: list[str]) -> None:
    store = open_from_argv(argv[:3])
    key = tuple(json.loads(argv[3]))
    actor, start_at = argv[4], float(argv[5])
    time.sleep(max(0.0, start_at - time.time()))
    try:
        store.approve((key[0], key[1], key[2]), actor=actor)
        print("won", flush=True)
    except StoreError as exc:
        print(f"lost:{type(exc).__name__}", flush=True)
    finally:
        store.close()


class CrashingSender(HttpReplySender):
    """Kills its own process right after the platform accepted a reply, for chosen mentions."""

    def __init__(self, base_url: str, crash_after: set[str]) -> None:
        super().__init__(base_url)
        self.crash_after = crash_after

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        reply_id = await super().send_reply(mention, text, idempotency_key)
        if mention.id in self.crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return reply_id


def mention_from(data: dict[str, str]) -> Mention:
    return Mention(
        id=data["id"],
        platform=Platform.TWITTER,
        kind=Kind.MENTION,
        author=Author(handle=f"@resident{data['id']}", name="A Resident"),
        text=data["text"],
        created_at=datetime(2025, 3, 3, 9, 0, tzinfo=UTC) + timedelta(seconds=int(data["id"])),
        account="westkentha",
    )


def decide(store: SqlStore, mention: Mention) -> None:
    """Bring one mention as far as a person's decision, whatever step it had reached."""
    key = mention.key
    record = store.ingest(mention).record
    if record.state is S.RECEIVED:
        draft = Draft(f"{HOURS_DRAFT.text} (#{mention.id})", "opening_hours", Platform.TWITTER)
        record = store.record_triage(key, Triage(Intent.OPENING_HOURS, 0.9), draft)
    if record.state is S.TRIAGED:
        record = store.queue_for_review(key)
    if record.state is S.QUEUED_FOR_REVIEW:
        try:
            if int(mention.id) % 10 == 0:
                store.reject(key, actor="U_REVIEWER", reason="answered by phone")
            else:
                store.approve(key, actor="U_REVIEWER")
        except AlreadyDecided:
            pass


def unfinished(store: SqlStore) -> bool:
    return any(store.in_state(state, limit=1) for state in (S.APPROVED, S.EDITED, S.SENDING))


async def deliver_all(outbox: OutboxSender, store: SqlStore) -> None:
    while unfinished(store):
        if not await outbox.run_once():
            await asyncio.sleep(0.05)  # a dead worker's lease has still to run out


async def pipeline(argv: list[str]) -> None:
    store = open_from_argv(argv[:3])
    mentions = [mention_from(m) for m in json.loads(Path(argv[3]).read_text())]
    crash_after = {m for m in os.environ.get("CRASH_AFTER_POST", "").split(",") if m}
    sender = CrashingSender(argv[4], crash_after)
    outbox = OutboxSender(
        store, {Platform.TWITTER: sender}, worker_id=argv[5],
        lease=timedelta(seconds=float(argv[6])), batch=5, call_timeout=0.4,
        backoff=Backoff(base=timedelta(milliseconds=50), cap=timedelta(seconds=1)),
    )
    for start in range(0, len(mentions), 20):
        for mention in mentions[start : start + 20]:
            decide(store, mention)
        await outbox.run_once()
    await deliver_all(outbox, store)
    await sender.aclose()
    store.close()
    print("done", flush=True)


async def send(argv: list[str]) -> None:
    store = open_from_argv(argv[:3])
    sender = HttpReplySender(argv[3])
    outbox = OutboxSender(
        store, {Platform.TWITTER: sender}, worker_id=argv[4],
        lease=timedelta(seconds=float(argv[5])), batch=3, call_timeout=10.0,
    )
    delivered = 0
    while unfinished(store):
        claimed = await outbox.run_once()
        delivered += claimed
        if not claimed:
            await asyncio.sleep(0.02)
    await sender.aclose()
    store.close()
    print(f"done {delivered}", flush=True)


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "approve":
        approve(rest)
    elif command == "pipeline":
        asyncio.run(pipeline(rest))
    elif command == "send":
        asyncio.run(send(rest))
    else:
        raise SystemExit(f"unknown command {command}")

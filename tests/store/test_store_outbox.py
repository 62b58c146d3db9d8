"""The outbox sender against the fake reply platform, over real HTTP (httpx)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
from fakes.reply_platform import FakeReplyPlatform, HttpReplySender
from store_backends import FakeClock, make_mention, queued

from bot.domain import Mention, Platform
from bot.errors import ConfigError, DeliveryUnknown, PlatformError, RateLimited
from bot.review.states import ModerationAction, ReviewState
from bot.store.outbox import Backoff, OutboxSender
from bot.store.records import AttemptOutcome, OutboxStatus
from bot.store.sql import SqlStore

S = ReviewState
NO_JITTER = Backoff(base=timedelta(seconds=10), cap=timedelta(minutes=5), jitter=0.0)
LEASE = timedelta(seconds=60)


@pytest.fixture
def platform() -> Iterator[FakeReplyPlatform]:
    with FakeReplyPlatform() as fake:
        yield fake


@pytest.fixture
async def http_sender(platform: FakeReplyPlatform) -> AsyncIterator[HttpReplySender]:
    sender = HttpReplySender(platform.url)
    yield sender
    await sender.aclose()


def outbox(
    store: SqlStore, sender: HttpReplySender, clock: FakeClock, worker: str = "w1", **kw: int
) -> OutboxSender:
    return OutboxSender(
        store, {Platform.TWITTER: sender}, worker_id=worker, clock=clock, lease=LEASE,
        call_timeout=5.0, backoff=NO_JITTER, **kw,  # type: ignore[arg-type]
    )


def state(store: SqlStore, mention: Mention) -> ReviewState:
    record = store.get(mention.key)
    assert record is not None
    return record.state


async def test_an_approved_reply_is_posted_once_and_its_id_kept(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve_edited(mention.key, actor="U1", text="We're open 9-5, Jo.")
    sender = outbox(store, http_sender, clock)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0
    [posted] = platform.replies
    assert (posted.mention_id, posted.text, posted.idempotency_key) == (
        "1", "We're open 9-5, Jo.", item.idempotency_key,
    )
    record = store.get(mention.key)
    assert record is not None
    assert record.state is S.SENT and record.reply_platform_id == posted.id
    assert store.outbox_item(item.id).platform_id == posted.id
    assert platform.lookups == []  # nothing was in doubt, so nothing was looked up


async def test_a_hide_goes_to_the_platform(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    spam = queued(store, make_mention("spam"))
    store.moderate(spam.key, actor="U1", action=ModerationAction.HIDE)
    await outbox(store, http_sender, clock).drain()
    assert platform.hidden == {"spam": 1}
    assert state(store, spam) is S.MODERATED
    assert [i.status for i in store.outbox_for(spam.key)] == [OutboxStatus.DONE]


async def test_a_refusal_is_retried_after_a_growing_delay(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    platform.fail_next("POST /replies", 429, times=2)
    sender = outbox(store, http_sender, clock)
    await sender.run_once()
    assert store.outbox_item(item.id).next_attempt_at == clock.now + timedelta(seconds=10)
    assert await sender.run_once() == 0  # not due yet
    clock.advance(seconds=10)
    await sender.run_once()
    assert store.outbox_item(item.id).next_attempt_at == clock.now + timedelta(seconds=20)
    assert platform.replies == []
    clock.advance(seconds=20)
    await sender.run_once()
    assert len(platform.replies) == 1 and state(store, mention) is S.SENT
    assert [a.outcome for a in store.attempts(item.id)] == [
        AttemptOutcome.ERROR, AttemptOutcome.ERROR, AttemptOutcome.SENT,
    ]
    assert platform.lookups == []  # a refusal is certain: no need to ask


async def test_a_permanent_refusal_fails_the_mention(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    platform.fail_next("POST /replies", 403)
    await outbox(store, http_sender, clock).run_once()
    assert state(store, mention) is S.FAILED
    failed = store.outbox_item(item.id)
    assert failed.status is OutboxStatus.FAILED and "403" in failed.last_error


async def test_it_gives_up_after_max_attempts(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    platform.fail_next("POST /replies", 429, times=10)
    sender = outbox(store, http_sender, clock, max_attempts=3)
    for _ in range(4):
        await sender.run_once()
        clock.advance(minutes=5)
    assert store.outbox_item(item.id).attempts == 3
    assert state(store, mention) is S.FAILED
    assert "gave up after 3 attempts" in store.history(mention.key)[-1].note


async def test_a_crash_between_posting_and_recording_does_not_post_again(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    # Worker w1 does everything up to the post, then dies before recording it.
    [item] = store.claim_outbox("w1", lease=LEASE)
    item = store.start_attempt(item.id, "w1")
    record = store.get(mention.key)
    assert record is not None
    await http_sender.send_reply(record.mention, item.text, item.idempotency_key)
    assert len(platform.replies) == 1
    # Its lease runs out; w2 takes over, asks the platform, and records what it finds.
    clock.advance(seconds=61)
    await outbox(store, http_sender, clock, worker="w2").drain()
    assert len(platform.replies) == 1 and not platform.duplicate_posts
    assert platform.lookups == [(item.idempotency_key, True)]
    record = store.get(mention.key)
    assert record is not None
    assert record.state is S.SENT and record.reply_platform_id == platform.replies[0].id
    [attempt] = store.attempts(item.id)
    assert attempt.outcome is AttemptOutcome.SENT


async def test_a_crash_before_posting_posts_once_after_checking(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(item.id, "w1")  # ...and w1 dies before the request leaves
    clock.advance(seconds=61)
    await outbox(store, http_sender, clock, worker="w2").drain()
    assert len(platform.replies) == 1
    assert platform.lookups == [(item.idempotency_key, False)]
    assert [a.outcome for a in store.attempts(item.id)] == [
        AttemptOutcome.UNKNOWN, AttemptOutcome.SENT,
    ]
    assert state(store, mention) is S.SENT


async def test_an_answer_lost_after_posting_is_checked_not_reposted(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    platform.accept_then_fail()  # posted, but the answer is a 500
    sender = outbox(store, http_sender, clock)
    await sender.run_once()
    in_doubt = store.outbox_item(item.id)
    assert in_doubt.last_outcome is AttemptOutcome.UNKNOWN and in_doubt.needs_reconcile
    clock.advance(minutes=1)
    await sender.run_once()
    assert len(platform.replies) == 1 and not platform.duplicate_posts
    assert state(store, mention) is S.SENT


async def test_when_the_platform_cannot_say_a_person_must_look(
    store: SqlStore, clock: FakeClock, platform: FakeReplyPlatform, http_sender: HttpReplySender
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(item.id, "w1")
    clock.advance(seconds=61)
    platform.fail_next("GET /replies", 403)
    await outbox(store, http_sender, clock, worker="w2").drain()
    assert platform.replies == []
    assert state(store, mention) is S.FAILED
    assert "look on the platform" in store.outbox_item(item.id).last_error


async def test_a_platform_without_a_sender_fails_clearly(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1", platform=Platform.TELEGRAM))
    item = store.approve(mention.key, actor="U1")
    await OutboxSender(store, {}, worker_id="w1", clock=clock).drain()
    assert "no sender is configured for telegram" in store.outbox_item(item.id).last_error
    assert state(store, mention) is S.FAILED


async def test_platform_error_from_an_adapter_is_not_swallowed_as_success(
    store: SqlStore, clock: FakeClock
) -> None:
    class Refusing:
        async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
            raise PlatformError("twitter", "duplicate content", retryable=False)

        async def hide(self, mention: Mention) -> None:
            raise AssertionError("not called")

        async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
            raise AssertionError("not called")

    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    await OutboxSender(store, {Platform.TWITTER: Refusing()}, clock=clock).drain()
    assert state(store, mention) is S.FAILED


class ScriptedSender:
    """An adapter that answers each send_reply with the next scripted result."""

    def __init__(self, *results: str | Exception, can_find_sent: bool = True) -> None:
        self.results = list(results)
        self.sent: list[str] = []
        self.lookups = 0
        self.can_find_sent = can_find_sent

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        self.sent.append(result)
        return result

    async def hide(self, mention: Mention) -> None:
        raise AssertionError("not called")

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        self.lookups += 1
        return None


async def test_rate_limits_wait_as_long_as_the_platform_asks(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    adapter = ScriptedSender(RateLimited("twitter", "slow down", retry_after=900), "tweet-1")
    sender = OutboxSender(
        store, {Platform.TWITTER: adapter}, clock=clock, backoff=NO_JITTER, lease=LEASE,
        call_timeout=5.0,
    )
    await sender.run_once()
    assert store.outbox_item(item.id).next_attempt_at == clock.now + timedelta(seconds=900)
    clock.advance(seconds=900)
    await sender.run_once()
    assert adapter.sent == ["tweet-1"] and state(store, mention) is S.SENT


async def test_delivery_in_doubt_goes_to_a_person_not_a_second_post(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1"))
    item = store.approve(mention.key, actor="U1")
    adapter = ScriptedSender(DeliveryUnknown("twitter", "connection lost after sending"), "x")
    await OutboxSender(store, {Platform.TWITTER: adapter}, clock=clock).drain()
    assert adapter.sent == [] and state(store, mention) is S.FAILED
    failed = store.outbox_item(item.id)
    assert failed.last_outcome is AttemptOutcome.UNKNOWN
    assert "look on the platform" in failed.last_error


async def test_a_platform_that_cannot_look_up_is_never_sent_twice_after_a_crash(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1", platform=Platform.TELEGRAM))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    store.start_attempt(item.id, "w1")  # w1 dies here: did Telegram get it?
    clock.advance(seconds=61)
    adapter = ScriptedSender("tg-1", can_find_sent=False)
    await OutboxSender(
        store, {Platform.TELEGRAM: adapter}, clock=clock, lease=LEASE, call_timeout=5.0
    ).drain()
    assert adapter.sent == [] and adapter.lookups == 0
    assert state(store, mention) is S.FAILED
    assert "look on the platform" in store.outbox_item(item.id).last_error


async def test_the_lease_is_renewed_when_an_attempt_starts(
    store: SqlStore, clock: FakeClock
) -> None:
    mention = queued(store, make_mention("1"))
    store.approve(mention.key, actor="U1")
    [item] = store.claim_outbox("w1", lease=LEASE)
    clock.advance(seconds=50)  # busy with other items meanwhile
    started = store.start_attempt(item.id, "w1", lease=LEASE)
    assert started.lease_until == clock.now + LEASE
    clock.advance(seconds=30)  # past the first lease, inside the renewed one
    assert store.claim_outbox("w2", lease=LEASE) == []


def test_a_lease_shorter_than_a_call_is_refused(store: SqlStore) -> None:
    with pytest.raises(ConfigError, match="lease"):
        OutboxSender(store, {}, lease=timedelta(seconds=30), call_timeout=60.0)

"""The X adapter against a fake X API v2, through httpx over real HTTP."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from fakes.sleep import RecordedSleep
from fakes.x_api import FakeXApi

from bot.domain import Kind, Platform
from bot.errors import DeliveryUnknown, PlatformError, RateLimited
from bot.platforms.base import PollingSource, ReplySender
from bot.platforms.retry import RetryPolicy
from bot.platforms.twitter import TWEET_FIELDS, TwitterAdapter


@pytest.fixture
def fake() -> Iterator[FakeXApi]:
    with FakeXApi() as server:
        yield server


def make(fake: FakeXApi, policy: RetryPolicy, **kwargs: object) -> TwitterAdapter:
    return TwitterAdapter(
        fake.user_id, fake.bearer_token, fake.user_token,
        api_url=fake.base_url, policy=policy, **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
async def x(fake: FakeXApi, policy: RetryPolicy) -> AsyncIterator[TwitterAdapter]:
    adapter = make(fake, policy)
    yield adapter
    await adapter.aclose()


def test_interfaces(fake: FakeXApi, policy: RetryPolicy) -> None:
    adapter = make(fake, policy)
    assert isinstance(adapter, ReplySender)
    assert isinstance(adapter.mentions, PollingSource)
    assert isinstance(adapter.direct_messages, PollingSource)
    assert adapter.mentions.name != adapter.direct_messages.name


async def test_a_mention_becomes_a_mention_and_the_reply_goes_to_it(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    when = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
    tweet = fake.add_mention("@westkentha my boiler is broken", created_at=when)

    result = await x.mentions.poll(None)

    [mention] = result.mentions
    assert mention.id == tweet["id"]
    assert mention.platform is Platform.TWITTER
    assert mention.kind is Kind.MENTION
    assert mention.author.handle == "@jane_tenant" and mention.author.name == "Jane Tenant"
    assert mention.account == fake.user_id
    assert mention.created_at == when
    assert mention.url == f"https://x.com/jane_tenant/status/{tweet['id']}"
    assert result.cursor == tweet["id"]
    request = fake.requests_to("/mentions")[0]
    assert request.query["tweet.fields"] == TWEET_FIELDS
    assert request.query["expansions"] == "author_id"
    assert request.bearer == fake.bearer_token

    reply_id = await x.send_reply(mention, "Sorry to hear that, please call us.", "k1")

    [posted] = fake.posted
    assert posted["id"] == reply_id
    assert posted["referenced_tweets"] == [{"type": "replied_to", "id": tweet["id"]}]
    sent = fake.requests_to("POST /2/tweets")[0]
    assert sent.json() == {
        "text": "Sorry to hear that, please call us.",
        "reply": {"in_reply_to_tweet_id": tweet["id"]},
    }
    assert sent.bearer == fake.user_token


async def test_a_reply_to_our_tweet_is_a_reply_and_can_be_hidden(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    ours = fake.our_tweet("Our offices are closed on Monday.")
    answer = fake.add_mention("@westkentha buy followers cheap", in_reply_to=ours["id"],
                              author="spammer")
    [mention] = (await x.mentions.poll(None)).mentions
    assert mention.kind is Kind.REPLY
    assert mention.in_reply_to == ours["id"]

    await x.hide(mention)

    assert fake.hidden == {answer["id"]}
    assert fake.requests_to("PUT")[0].json() == {"hidden": True}


async def test_since_id_and_pagination_fetch_every_new_mention_once(
    fake: FakeXApi, policy: RetryPolicy
) -> None:
    x = make(fake, policy, page_size=5)
    try:
        first = fake.add_mention("first")
        start = await x.mentions.poll(None)
        assert [m.id for m in start.mentions] == [first["id"]]

        newer = [fake.add_mention(f"new {i}")["id"] for i in range(12)]
        result = await x.mentions.poll(start.cursor)

        assert [m.id for m in result.mentions] == newer  # oldest first, none missed
        calls = fake.requests_to("/mentions")[1:]
        assert len(calls) == 3
        assert all(c.query["since_id"] == first["id"] for c in calls)
        assert [c.query.get("pagination_token") for c in calls] == [None, "page-5", "page-10"]
        assert result.cursor == newer[-1]
        assert (await x.mentions.poll(result.cursor)).mentions == []
        assert (await x.mentions.poll(result.cursor)).cursor == result.cursor
    finally:
        await x.aclose()


async def test_the_first_poll_takes_only_the_newest_page(
    fake: FakeXApi, policy: RetryPolicy
) -> None:
    x = make(fake, policy, page_size=5)
    try:
        for i in range(7):
            fake.add_mention(f"old {i}")
        result = await x.mentions.poll(None)
        assert len(result.mentions) == 5
        assert len(fake.requests_to("/mentions")) == 1
    finally:
        await x.aclose()


async def test_malformed_tweets_are_logged_and_skipped(
    fake: FakeXApi, x: TwitterAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    good = fake.add_mention("good one")
    fake.add_raw_mention({"id": fake.next_id(), "text": "no author, no date"})
    fake.add_raw_mention({"id": fake.next_id(), "text": "bad date", "author_id": "5",
                          "created_at": "yesterday"})
    later = fake.add_mention("another good one")

    with caplog.at_level(logging.WARNING, logger="bot.platforms.twitter"):
        result = await x.mentions.poll(None)

    assert [m.id for m in result.mentions] == [good["id"], later["id"]]
    assert len([r for r in caplog.records if "skipped a malformed tweet" in r.getMessage()]) == 2


async def test_429_and_5xx_are_retried_with_back_off(
    fake: FakeXApi, x: TwitterAdapter, sleeps: RecordedSleep
) -> None:
    fake.add_mention("hello")
    fake.fail("/mentions", 429, headers={"Retry-After": "1"})
    # A 5xx carries X's usual x-rate-limit-reset (15 minutes on): that is no reason to wait.
    fake.fail("/mentions", 503, headers={"x-rate-limit-reset": str(int(time.time()) + 900)})
    result = await x.mentions.poll(None)
    assert len(result.mentions) == 1
    assert sleeps.waits == [1.0, 1.0]  # Retry-After, then the back-off for the second failure
    assert len(fake.requests_to("/mentions")) == 3


async def test_rate_limit_reset_is_honoured(
    fake: FakeXApi, policy: RetryPolicy, sleeps: RecordedSleep
) -> None:
    clock = [1_000_000.0]
    x = make(fake, RetryPolicy(sleep=sleeps, clock=lambda: clock[0], max_delay=60))
    try:
        # 429 carrying only x-rate-limit-reset: wait until the reset.
        fake.fail("/mentions", 429, headers={"x-rate-limit-reset": str(int(clock[0]) + 7)})
        fake.add_mention("hello")
        await x.mentions.poll(None)
        assert sleeps.waits == [7.0]

        # The window is used up (remaining 0) and resets in 15 minutes: no request is made,
        # the caller learns when to come back.
        fake.rate_limit("/mentions", remaining=0, reset=int(clock[0]) + 900)
        await x.mentions.poll(None)
        calls = len(fake.requests_to("/mentions"))
        with pytest.raises(RateLimited) as caught:
            await x.mentions.poll(None)
        assert caught.value.retry_after == pytest.approx(900)
        assert caught.value.retryable
        assert len(fake.requests_to("/mentions")) == calls
    finally:
        await x.aclose()


async def test_repeated_server_errors_end_in_a_retryable_error(
    fake: FakeXApi, x: TwitterAdapter, sleeps: RecordedSleep
) -> None:
    fake.fail("/mentions", 500, times=10)
    with pytest.raises(PlatformError) as caught:
        await x.mentions.poll(None)
    assert caught.value.retryable
    assert sleeps.waits == [0.5, 1.0, 2.0]


async def test_a_failed_send_that_went_through_is_not_posted_twice(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    tweet = fake.add_mention("@westkentha hi")
    [mention] = (await x.mentions.poll(None)).mentions
    reply_id = await x.send_reply(mention, "Hello!", "k1")

    # After a crash the outbox asks: it is there.
    assert await x.find_sent(mention, "k1") == reply_id
    # Sending again anyway: X refuses the duplicate and we report the existing reply.
    assert await x.send_reply(mention, "Hello!", "k1") == reply_id
    assert len(fake.posted) == 1

    other = fake.add_mention("@westkentha another")
    [second] = (await x.mentions.poll(tweet["id"])).mentions
    assert second.id == other["id"]
    assert await x.find_sent(second, "k2") is None


async def test_a_5xx_on_send_checks_before_trying_again(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    fake.add_mention("@westkentha hi")
    [mention] = (await x.mentions.poll(None)).mentions
    fake.fail("POST /2/tweets", 503)
    reply_id = await x.send_reply(mention, "Hello!", "k1")
    assert [t["id"] for t in fake.posted] == [reply_id]
    # Between the 503 and the second POST it looked for an existing reply.
    order = [f"{r.method} {r.path}" for r in fake.requests][-3:]
    assert order == ["POST /2/tweets", f"GET /2/users/{fake.user_id}/tweets", "POST /2/tweets"]


async def test_direct_messages_are_polled_and_answered(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    first = fake.add_dm("Can you call me about my rent?", sender="sam_renter", name="Sam")
    start = await x.direct_messages.poll(None)
    [dm] = start.mentions
    assert dm.kind is Kind.DM and dm.id == first["id"]
    assert dm.author.handle == "@sam_renter"
    assert dm.in_reply_to == first["dm_conversation_id"]
    assert fake.requests_to("/2/dm_events")[0].bearer == fake.user_token

    event_id = await x.send_reply(dm, "Please call 0300 100 0303.", "k")
    [sent] = fake.sent_dms
    assert sent["id"] == event_id
    assert sent["participant_id"] == fake.add_user("sam_renter")
    # Our own message in the conversation is not a new mention; a new one from them is.
    later = fake.add_dm("thanks")
    after = await x.direct_messages.poll(start.cursor)
    assert [m.id for m in after.mentions] == [later["id"]]
    with pytest.raises(DeliveryUnknown):  # X cannot tell which message a DM answers
        await x.find_sent(dm, "k")
    with pytest.raises(PlatformError, match="cannot hide a direct message"):
        await x.hide(dm)


async def test_a_reply_whose_answer_was_lost_is_found_not_posted_again(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    fake.add_mention("@westkentha hi")
    [mention] = (await x.mentions.poll(None)).mentions
    fake.drop("POST /2/tweets", handled=True)  # posted, then the connection died

    reply_id = await x.send_reply(mention, "Hello!", "k1")

    assert [t["id"] for t in fake.posted] == [reply_id]
    assert len(fake.requests_to("POST /2/tweets")) == 1


async def test_a_reply_lost_before_it_was_posted_is_sent_after_checking(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    fake.add_mention("@westkentha hi")
    [mention] = (await x.mentions.poll(None)).mentions
    fake.drop("POST /2/tweets")  # the connection died before X did anything

    reply_id = await x.send_reply(mention, "Hello!", "k1")

    assert [t["id"] for t in fake.posted] == [reply_id]
    assert len(fake.requests_to("POST /2/tweets")) == 2


async def test_a_dm_that_may_have_gone_through_is_not_resent(
    fake: FakeXApi, x: TwitterAdapter
) -> None:
    fake.add_dm("hello")
    [dm] = (await x.direct_messages.poll(None)).mentions
    fake.drop("/messages", handled=True)

    with pytest.raises(DeliveryUnknown) as caught:
        await x.send_reply(dm, "hi", "k")

    assert not caught.value.retryable
    assert "may have been posted" in str(caught.value)
    assert len(fake.requests_to("/messages")) == 1


async def test_an_unreachable_api_is_retried_then_reported_retryable(
    fake: FakeXApi, policy: RetryPolicy, sleeps: RecordedSleep
) -> None:
    port = fake.port
    fake.stop()
    x = TwitterAdapter(fake.user_id, fake.bearer_token, fake.user_token,
                       api_url=f"http://127.0.0.1:{port}", policy=policy)
    try:
        with pytest.raises(PlatformError) as caught:
            await x.mentions.poll(None)
    finally:
        await x.aclose()
    assert caught.value.retryable and not isinstance(caught.value, DeliveryUnknown)
    assert len(sleeps.waits) == 3


async def test_without_a_user_token_reading_works_and_posting_says_why_not(
    fake: FakeXApi, policy: RetryPolicy
) -> None:
    x = TwitterAdapter(fake.user_id, fake.bearer_token, api_url=fake.base_url, policy=policy)
    try:
        fake.add_mention("hi")
        [mention] = (await x.mentions.poll(None)).mentions
        with pytest.raises(PlatformError, match="X_USER_ACCESS_TOKEN"):
            await x.send_reply(mention, "hello", "k")
        assert fake.posted == []
    finally:
        await x.aclose()

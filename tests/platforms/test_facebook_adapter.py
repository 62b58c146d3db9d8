"""The Facebook adapter: webhook handshake, signature and parsing over real HTTP (aiohttp),
and replies through httpx to a fake Graph API."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from fakes.graph_api import FakeGraphApi
from fakes.sleep import RecordedSleep

from bot.domain import Kind, Mention, Platform
from bot.errors import DeliveryUnknown, PlatformError
from bot.platforms.base import ReplySender
from bot.platforms.facebook import (
    FacebookAdapter,
    facebook_webhook_app,
    parse_webhook,
    signature_for,
    verify_signature,
    verify_subscription,
)
from bot.platforms.retry import RetryPolicy


class Sink:
    def __init__(self) -> None:
        self.mentions: list[Mention] = []

    async def __call__(self, mentions: list[Mention]) -> None:
        self.mentions.extend(mentions)


@pytest.fixture
def fake() -> Iterator[FakeGraphApi]:
    with FakeGraphApi() as server:
        yield server


@pytest.fixture
async def facebook(fake: FakeGraphApi, policy: RetryPolicy) -> AsyncIterator[FacebookAdapter]:
    adapter = FacebookAdapter(
        fake.page_id, fake.page_token, app_secret=fake.app_secret,
        api_url=fake.base_url, policy=policy,
    )
    yield adapter
    await adapter.aclose()


@pytest.fixture
async def webhook(fake: FakeGraphApi) -> AsyncIterator[tuple[str, Sink]]:
    sink = Sink()
    root = web.Application()
    root.add_subapp("/webhooks/facebook/", facebook_webhook_app(
        app_secret=fake.app_secret, verify_token=fake.verify_token,
        page_id=fake.page_id, sink=sink,
    ))
    runner = web.AppRunner(root)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/webhooks/facebook/", sink
    await runner.cleanup()


def test_the_adapter_is_a_sender(fake: FakeGraphApi) -> None:
    assert isinstance(FacebookAdapter(fake.page_id, "t"), ReplySender)


async def test_subscription_handshake_echoes_the_challenge_only_for_our_token(
    fake: FakeGraphApi, webhook: tuple[str, Sink]
) -> None:
    url, _ = webhook
    assert await asyncio.to_thread(fake.handshake, url) == (200, "1158201444")
    status, _ = await asyncio.to_thread(fake.handshake, url, token="guess")
    assert status == 403


async def test_a_signed_comment_is_taken_and_answered_under_the_comment(
    fake: FakeGraphApi, webhook: tuple[str, Sink], facebook: FacebookAdapter
) -> None:
    url, sink = webhook
    delivery = fake.comment_event("When is the office open?", created_time=1_741_084_200)
    comment_id = delivery["entry"][0]["changes"][0]["value"]["comment_id"]
    post_id = delivery["entry"][0]["changes"][0]["value"]["post_id"]

    assert await asyncio.to_thread(fake.deliver, url, delivery) == 200

    [mention] = sink.mentions
    assert mention.id == comment_id
    assert mention.platform is Platform.FACEBOOK
    assert mention.kind is Kind.COMMENT
    assert mention.author.handle == "24000000000001" and mention.author.name == "Jane Tenant"
    assert mention.account == fake.page_id
    assert mention.in_reply_to == post_id
    assert mention.created_at == datetime(2025, 3, 4, 10, 30, tzinfo=UTC)

    reply_id = await facebook.send_reply(mention, "We are open 9am to 5pm.", "k1")

    [reply] = fake.comment_replies
    assert reply["id"] == reply_id
    assert reply["parent"] == comment_id
    sent = fake.requests_to(f"POST /{fake.version}/{comment_id}/comments")[0]
    assert sent.form() == {"message": "We are open 9am to 5pm."}
    assert sent.bearer == fake.page_token
    assert "appsecret_proof" in sent.query
    assert await facebook.find_sent(mention, "k1") == reply_id


async def test_forged_or_missing_signatures_are_refused(
    fake: FakeGraphApi, webhook: tuple[str, Sink]
) -> None:
    url, sink = webhook
    delivery = json.dumps(fake.comment_event("forged")).encode()
    wrong = "sha256=" + "0" * 64
    assert await asyncio.to_thread(fake.deliver, url, delivery, signature=wrong) == 403
    assert await asyncio.to_thread(fake.deliver, url, delivery, signature="") == 403
    other_secret = signature_for(delivery, "someone-elses-secret")
    assert await asyncio.to_thread(fake.deliver, url, delivery, signature=other_secret) == 403
    # Signed over different bytes (re-serialised JSON) is not the raw body either.
    respaced = json.dumps(json.loads(delivery), indent=1).encode()
    assert await asyncio.to_thread(
        fake.deliver, url, delivery, signature=fake.sign(respaced)
    ) == 403
    assert sink.mentions == []
    assert await asyncio.to_thread(fake.deliver, url, delivery) == 200
    assert len(sink.mentions) == 1


def test_signature_check_is_over_the_raw_bytes() -> None:
    body = b'{"object": "page"}'
    assert verify_signature(body, signature_for(body, "s3cret"), "s3cret")
    assert not verify_signature(body + b" ", signature_for(body, "s3cret"), "s3cret")
    assert not verify_signature(body, None, "s3cret")
    assert not verify_signature(body, signature_for(body, ""), "")


def test_subscription_check_wants_subscribe_mode_and_our_token() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "42"}
    assert verify_subscription(query, "tok") == "42"
    assert verify_subscription({**query, "hub.mode": "unsubscribe"}, "tok") is None
    assert verify_subscription(query, "other") is None
    assert verify_subscription(query, "") is None


def test_the_pages_own_comments_and_echoes_are_ignored(fake: FakeGraphApi) -> None:
    own = fake.comment_event("Thanks for your comment", from_page=True)
    echo = fake.message_event("Our reply", echo=True)
    assert parse_webhook(json.dumps(own).encode(), fake.page_id) == []
    assert parse_webhook(json.dumps(echo).encode(), fake.page_id) == []


def test_other_feed_changes_are_not_mentions(fake: FakeGraphApi) -> None:
    like = fake.wrap([{"field": "feed", "value": {"item": "reaction", "verb": "add",
                                                  "reaction_type": "like"}}])
    edit = fake.comment_event("edited text")
    edit["entry"][0]["changes"][0]["value"]["verb"] = "edited"
    assert parse_webhook(like, fake.page_id) == []
    assert parse_webhook(edit, fake.page_id) == []


def test_malformed_changes_are_logged_and_skipped_keeping_the_rest(
    fake: FakeGraphApi, caplog: pytest.LogCaptureFixture
) -> None:
    good = fake.comment_event("first good")["entry"][0]["changes"][0]
    later = fake.comment_event("second good")["entry"][0]["changes"][0]
    no_from = {"field": "feed", "value": {**good["value"], "from": None, "comment_id": "1_2"}}
    bad_time = {"field": "feed", "value": {**later["value"], "created_time": "soon",
                                           "comment_id": "1_3"}}
    delivery = fake.wrap([good, "not an object", no_from, bad_time, later])

    with caplog.at_level(logging.WARNING, logger="bot.platforms.facebook"):
        mentions = parse_webhook(json.dumps(delivery).encode(), fake.page_id)

    assert [m.text for m in mentions] == ["first good", "second good"]
    assert len([r for r in caplog.records if "skipped a malformed" in r.getMessage()]) == 3
    assert parse_webhook(b"{not json", fake.page_id) == []


async def test_a_messenger_message_is_answered_with_the_send_api(
    fake: FakeGraphApi, webhook: tuple[str, Sink], facebook: FacebookAdapter
) -> None:
    url, sink = webhook
    delivery = fake.message_event("Can someone call me?", psid="6100000000000042",
                                  timestamp_ms=1_741_084_200_123)
    assert await asyncio.to_thread(fake.deliver, url, delivery) == 200
    [dm] = sink.mentions
    assert dm.kind is Kind.DM
    assert dm.id == delivery["entry"][0]["messaging"][0]["message"]["mid"]
    assert dm.author.handle == "6100000000000042"
    assert dm.created_at == datetime(2025, 3, 4, 10, 30, 0, 123000, tzinfo=UTC)

    message_id = await facebook.send_reply(dm, "Please call 0300 100 0303.", "k")

    [sent] = fake.sent_messages
    assert sent["message_id"] == message_id
    request = fake.requests_to("/me/messages")[0]
    assert request.json() == {
        "recipient": {"id": "6100000000000042"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Please call 0300 100 0303."},
    }
    with pytest.raises(DeliveryUnknown):  # Messenger cannot tell which message it answers
        await facebook.find_sent(dm, "k")
    with pytest.raises(PlatformError, match="cannot be hidden"):
        await facebook.hide(dm)


async def test_a_comment_is_hidden(fake: FakeGraphApi, facebook: FacebookAdapter) -> None:
    [spam] = parse_webhook(fake.comment_event("cheap loans here"), fake.page_id)
    await facebook.hide(spam)
    assert fake.hidden == {spam.id}
    assert fake.requests_to(f"POST /{fake.version}/{spam.id}")[-1].form() == {"is_hidden": "true"}


async def test_throttling_and_outages_are_retried(
    fake: FakeGraphApi, facebook: FacebookAdapter, sleeps: RecordedSleep
) -> None:
    [mention] = parse_webhook(fake.comment_event("hello"), fake.page_id)
    throttled = {"error": {"message": "(#4) Application request limit reached",
                           "type": "OAuthException", "code": 4, "is_transient": True}}
    fake.fail("/comments", 400, body=throttled)  # Graph throttles with a 400 and code 4
    fake.fail("POST", 429, headers={"Retry-After": "1"})
    await facebook.send_reply(mention, "hi", "k")
    assert len(fake.comment_replies) == 1
    assert sleeps.waits == [0.5, 1.0]


async def test_an_outage_during_a_comment_reply_checks_before_posting_again(
    fake: FakeGraphApi, facebook: FacebookAdapter
) -> None:
    [mention] = parse_webhook(fake.comment_event("hello"), fake.page_id)
    fake.drop("POST", handled=True)  # posted, but the answer never came
    reply_id = await facebook.send_reply(mention, "hi", "k")
    assert [c["id"] for c in fake.comment_replies] == [reply_id]


async def test_a_messenger_reply_that_may_have_gone_out_is_not_resent(
    fake: FakeGraphApi, facebook: FacebookAdapter
) -> None:
    [dm] = parse_webhook(fake.message_event("hello"), fake.page_id)
    fake.drop("/me/messages", handled=True)
    with pytest.raises(DeliveryUnknown):
        await facebook.send_reply(dm, "hi", "k")
    assert len(fake.requests_to("/me/messages")) == 1


async def test_a_refused_reply_is_a_clear_non_retryable_error(
    fake: FakeGraphApi, facebook: FacebookAdapter
) -> None:
    [dm] = parse_webhook(fake.message_event("hello", psid="1"), fake.page_id)
    fake.users.discard("1")
    with pytest.raises(PlatformError, match="No matching user found") as caught:
        await facebook.send_reply(dm, "hi", "k")
    assert not caught.value.retryable


async def test_webhook_asks_for_redelivery_when_storing_fails(fake: FakeGraphApi) -> None:
    async def broken(mentions: list[Mention]) -> None:
        raise RuntimeError("database is down")

    app = facebook_webhook_app(app_secret=fake.app_secret, verify_token=fake.verify_token,
                               page_id=fake.page_id, sink=broken)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        status = await asyncio.to_thread(
            fake.deliver, f"http://{host}:{port}/", fake.comment_event("hello")
        )
    finally:
        await runner.cleanup()
    assert status == 500

"""The Telegram adapter against a fake Bot API, through python-telegram-bot's own requests."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from aiohttp import web
from fakes.sleep import RecordedSleep
from fakes.telegram_api import FakeTelegramApi

from bot.domain import Kind, Mention, Platform
from bot.errors import PlatformError
from bot.platforms.base import PollingSource, ReplySender
from bot.platforms.retry import RetryPolicy
from bot.platforms.telegram import SECRET_HEADER, TelegramAdapter, telegram_webhook_app


@pytest.fixture
def fake() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as server:
        yield server


@pytest.fixture
async def adapter(fake: FakeTelegramApi, policy: RetryPolicy) -> AsyncIterator[TelegramAdapter]:
    telegram = TelegramAdapter(fake.token, api_url=fake.base_url, policy=policy)
    yield telegram
    await telegram.aclose()


def test_the_adapter_is_both_a_source_and_a_sender(fake: FakeTelegramApi) -> None:
    telegram = TelegramAdapter(fake.token, api_url=fake.base_url)
    assert isinstance(telegram, PollingSource)
    assert isinstance(telegram, ReplySender)
    assert telegram.platform is Platform.TELEGRAM


async def test_a_direct_message_becomes_a_mention_and_the_reply_answers_it(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    sent_in = fake.private_message("Hi, when are you open on Friday?", date=1_700_000_000)

    result = await adapter.poll(None)

    assert len(result.mentions) == 1
    mention = result.mentions[0]
    chat_id, message_id = sent_in["chat"]["id"], sent_in["message_id"]
    assert mention.id == f"{chat_id}:{message_id}"
    assert mention.platform is Platform.TELEGRAM
    assert mention.kind is Kind.DM
    assert mention.text == "Hi, when are you open on Friday?"
    assert mention.author.handle == "@jane_tenant"
    assert mention.author.name == "Jane Tenant"
    assert mention.account == "westkent_help_bot"
    assert mention.created_at.timestamp() == 1_700_000_000
    assert mention.created_at.utcoffset() is not None

    reply_id = await adapter.send_reply(mention, "We are open 9am to 5pm.", "key-1")

    assert len(fake.sent) == 1
    posted = fake.sent[0]
    assert posted.chat_id == chat_id
    assert posted.reply_to_message_id == message_id
    assert posted.text == "We are open 9am to 5pm."
    assert reply_id == f"{chat_id}:{posted.message_id}"
    # The request is PTB's own: form-encoded, reply_parameters as JSON.
    request = fake.requests_to("/sendMessage")[-1]
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert f'"message_id": {message_id}' in request.form()["reply_parameters"]


async def test_in_groups_only_mentions_of_the_bot_and_replies_to_it_count(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    fake.group_message("Anyone know when the bins go out?")
    mentioned = fake.group_message("@westkent_help_bot the lift in block C is broken again")
    ours = fake.bot_message(mentioned["chat"]["id"], "Thanks, we have passed it on.")
    answered = fake.group_message("Still broken today", reply_to=ours)
    fake.group_message("@someone_else_bot hello")

    result = await adapter.poll(None)

    kinds = {m.id: m.kind for m in result.mentions}
    chat = mentioned["chat"]["id"]
    assert kinds == {
        f"{chat}:{mentioned['message_id']}": Kind.MENTION,
        f"{chat}:{answered['message_id']}": Kind.REPLY,
    }
    reply = next(m for m in result.mentions if m.kind is Kind.REPLY)
    assert reply.in_reply_to == f"{chat}:{ours['message_id']}"
    assert reply.url == f"https://t.me/tonbridge_residents/{answered['message_id']}"
    # The cursor moves past the ignored chatter too, so it is not fetched again.
    assert (await adapter.poll(result.cursor)).mentions == []


async def test_the_cursor_confirms_updates_so_a_restart_neither_misses_nor_repeats(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    fake.private_message("first")
    first = await adapter.poll(None)
    # The caller crashed before storing the cursor: the same update comes again.
    again = await adapter.poll(None)
    assert [m.id for m in again.mentions] == [m.id for m in first.mentions]

    fake.private_message("second")
    after = await adapter.poll(first.cursor)
    assert [m.text for m in after.mentions] == ["second"]
    offsets = [r.form().get("offset") for r in fake.requests_to("/getUpdates")]
    assert offsets[-1] == first.cursor
    assert (await adapter.poll(after.cursor)).mentions == []


async def test_a_malformed_update_is_logged_and_skipped_and_the_batch_survives(
    fake: FakeTelegramApi, adapter: TelegramAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    fake.private_message("before")
    bad = fake.push_update({"message": {"message_id": 1, "text": "no chat, no date"}})
    fake.private_message("after")

    with caplog.at_level(logging.WARNING, logger="bot.platforms.telegram"):
        result = await adapter.poll(None)

    assert [m.text for m in result.mentions] == ["before", "after"]
    assert any(str(bad["update_id"]) in r.getMessage() for r in caplog.records)
    assert result.cursor is not None and int(result.cursor) > bad["update_id"]


async def test_429_is_retried_after_the_time_telegram_asks_for(
    fake: FakeTelegramApi, adapter: TelegramAdapter, sleeps: RecordedSleep
) -> None:
    fake.private_message("hello")
    fake.flood("getUpdates", retry_after=1)
    result = await adapter.poll(None)
    assert len(result.mentions) == 1
    assert sleeps.waits == [1.0]

    fake.flood("sendMessage", retry_after=1, times=2)
    await adapter.send_reply(result.mentions[0], "hi", "key")
    assert sleeps.waits == [1.0, 1.0, 1.0]
    assert len(fake.requests_to("/sendMessage")) == 3
    assert len(fake.sent) == 1


async def test_server_errors_back_off_exponentially_then_give_up_retryable(
    fake: FakeTelegramApi, adapter: TelegramAdapter, sleeps: RecordedSleep
) -> None:
    fake.private_message("hello")
    bad_gateway = {"ok": False, "error_code": 502, "description": "Bad Gateway"}
    fake.fail("/getUpdates", 502, body=bad_gateway, times=2)
    assert len((await adapter.poll(None)).mentions) == 1
    assert sleeps.waits == [0.5, 1.0]

    fake.fail("/getUpdates", 502, body=bad_gateway, times=10)
    with pytest.raises(PlatformError) as caught:
        await adapter.poll(None)
    assert caught.value.retryable
    assert len(fake.requests_to("/getUpdates")) == 3 + 4


async def test_hide_is_refused_clearly_and_find_sent_cannot_tell(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    fake.private_message("hello")
    mention = (await adapter.poll(None)).mentions[0]
    with pytest.raises(PlatformError, match="no way to hide"):
        await adapter.hide(mention)
    assert await adapter.find_sent(mention, "key") is None
    assert adapter.can_find_sent is False  # so the outbox hands a doubtful send to a person


async def test_a_rejected_token_is_reported_without_the_token(fake: FakeTelegramApi) -> None:
    wrong = "987654321:AAWrongTokenWrongTokenWrongToken123"
    telegram = TelegramAdapter(wrong, api_url=fake.base_url)
    try:
        with pytest.raises(PlatformError) as caught:
            await telegram.poll(None)
    finally:
        await telegram.aclose()
    assert "TELEGRAM_BOT_TOKEN" in str(caught.value)
    assert wrong not in str(caught.value)
    assert not caught.value.retryable


async def test_the_token_never_reaches_the_logs(
    fake: FakeTelegramApi, adapter: TelegramAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    fake.private_message("hello")
    with caplog.at_level(logging.DEBUG):
        mention = (await adapter.poll(None)).mentions[0]
        await adapter.send_reply(mention, "hi", "key")
    messages = [r.getMessage() for r in caplog.records]
    assert any("getUpdates" in m for m in messages)  # httpx did log the request URLs
    assert not [m for m in messages if fake.token in m]


# --------------------------------------------------------------------------- webhook


class Sink:
    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[Mention]] = []
        self.fail = fail

    async def __call__(self, mentions: list[Mention]) -> None:
        if self.fail:
            raise RuntimeError("database is down")
        self.batches.append(mentions)


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/"


async def test_webhook_takes_updates_with_the_right_secret_and_refuses_others(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    sink = Sink()
    runner, url = await _serve(telegram_webhook_app(await adapter.identity(), "s3cret-token", sink))
    try:
        await adapter.set_webhook(url, "s3cret-token")
        assert fake.webhook_url == url and fake.webhook_secret == "s3cret-token"

        update = {"message": fake.private_message("help please", queue=False)}
        assert await asyncio.to_thread(fake.deliver, update) == 200
        assert [m.text for batch in sink.batches for m in batch] == ["help please"]

        forged = {"message": fake.private_message("forged", queue=False)}
        assert await asyncio.to_thread(fake.deliver, forged, secret="wrong-token") == 403
        assert await asyncio.to_thread(fake.deliver, forged, secret="") == 403
        assert len(sink.batches) == 1

        async with httpx.AsyncClient() as client:
            garbage = await client.post(url, content=b"{not json", headers={
                SECRET_HEADER: "s3cret-token"})
        assert garbage.status_code == 200  # acknowledged so Telegram stops resending it
        assert len(sink.batches) == 1
    finally:
        await runner.cleanup()


async def test_webhook_asks_for_redelivery_when_the_mention_cannot_be_stored(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    runner, url = await _serve(telegram_webhook_app(await adapter.identity(), "s3cret", Sink(True)))
    try:
        await adapter.set_webhook(url, "s3cret")
        update = {"message": fake.private_message("help please", queue=False)}
        assert await asyncio.to_thread(fake.deliver, update) == 500
    finally:
        await runner.cleanup()


async def test_a_channel_post_mentioning_the_bot_is_a_mention_from_the_channel(
    fake: FakeTelegramApi, adapter: TelegramAdapter
) -> None:
    channel = {"id": -1_009_876_543_210, "title": "Tonbridge News", "type": "channel",
               "username": "tonbridge_news"}
    text = "Residents: ask @westkentha_bot about the works"  # not our bot: ignored
    fake.push_update({"channel_post": {"message_id": 7, "chat": channel, "sender_chat": channel,
                                       "date": 1_700_000_000, "text": text,
                                       "entities": [{"offset": 15, "length": 15,
                                                     "type": "mention"}]}})
    ours = "Questions? @westkent_help_bot"
    fake.push_update({"channel_post": {"message_id": 8, "chat": channel, "sender_chat": channel,
                                       "date": 1_700_000_001, "text": ours,
                                       "entities": [{"offset": 11, "length": 18,
                                                     "type": "mention"}]}})
    [mention] = (await adapter.poll(None)).mentions
    assert mention.id == f"{channel['id']}:8"
    assert mention.kind is Kind.MENTION
    assert mention.author.handle == "@tonbridge_news"
    assert mention.author.name == "Tonbridge News"
    assert mention.url == "https://t.me/tonbridge_news/8"

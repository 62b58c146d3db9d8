"""`socialbot serve` as people run it: a subprocess against fake Slack, Telegram, X and Facebook.

One mention arrives on each platform (Telegram by getUpdates, X by the mentions timeline,
Facebook by a signed webhook POST to the service); its card appears at the fake Slack; an
approver presses Approve (a block action signed as Slack signs it, posted to the service's
Slack endpoint); the reply reaches the right platform exactly once, as a reply to the right
message, and the card's thread says it was sent. Then /healthz, SIGTERM (exit 0), and the
start-up refusals.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.graph_api import FakeGraphApi
from fakes.slack_api import FakeSlackApi, Message
from fakes.slack_requests import SlackSender
from fakes.telegram_api import FakeTelegramApi
from fakes.x_api import FakeXApi
from serve_process import REPO, ServeProcess, base_env

from bot.config import default_config_text
from bot.processing import MentionProcessor
from bot.review.states import ReviewState
from bot.slack.cards import CardRef
from bot.store.factory import SQLITE_FILENAME
from bot.store.records import MentionKey
from bot.store.sqlite import SqliteStore

pytestmark = pytest.mark.slow

SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-e2e-bot-token-0123456789"
APPROVER = "U0E2EAPPROVER"
INBOX, COMMS, URGENT, MODERATION = "C0E2EINBOX", "C0E2ECOMMS", "C0E2EURGENT", "C0E2EMOD"
APPROVERS, COMMS_GROUP = "S0E2EAPPROVERS", "S0E2ECOMMS"
APPROVE = "socialbot.approve"


def write_config(path: Path) -> Path:
    text = default_config_text()
    for old, new in {
        '"C0SOCIALINBOX"': f'"{INBOX}"',
        '"C0COMMSTEAM"': f'"{COMMS}"',
        '"C0URGENT"': f'"{URGENT}"',
        '"C0MODERATION"': f'"{MODERATION}"',
        '"S0APPROVERS"': f'"{APPROVERS}"',
        '"S0COMMS"': f'"{COMMS_GROUP}"',
    }.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class World:
    slack: FakeSlackApi
    telegram: FakeTelegramApi
    x: FakeXApi
    graph: FakeGraphApi
    env: dict[str, str]
    data_dir: Path


@pytest.fixture
def world(tmp_path: Path, processor: MentionProcessor) -> Iterator[World]:
    """The fakes running, a config naming the fake Slack's channels, an empty data folder."""
    config = write_config(tmp_path / "socialbot.toml")
    data_dir = tmp_path / "data"
    with ExitStack() as stack:
        slack = stack.enter_context(FakeSlackApi(
            usergroups={APPROVERS: [APPROVER], COMMS_GROUP: [APPROVER]},
            channels={INBOX, COMMS, URGENT, MODERATION},
        ))
        telegram = stack.enter_context(FakeTelegramApi())
        x = stack.enter_context(FakeXApi())
        graph = stack.enter_context(FakeGraphApi())
        env = base_env(data_dir, config)
        env.update({
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_URL": telegram.base_url,
            "X_BEARER_TOKEN": x.bearer_token,
            "X_USER_ACCESS_TOKEN": x.user_token,
            "X_API_URL": x.base_url,
            "FACEBOOK_PAGE_TOKEN": graph.page_token,
            "FACEBOOK_APP_SECRET": graph.app_secret,
            "FACEBOOK_VERIFY_TOKEN": graph.verify_token,
            "FACEBOOK_API_URL": graph.base_url,
        })
        yield World(slack, telegram, x, graph, env, data_dir)


def take_cover(world: World) -> None:
    """Somebody is on cover, as `/socialbot cover on` records it: cards go out at once even
    when the test runs at night or at a weekend (otherwise they wait for opening time)."""
    world.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(world.data_dir / SQLITE_FILENAME)
    try:
        store.set_cover(APPROVER, "end-to-end test", datetime.now(UTC) + timedelta(days=1))
    finally:
        store.close()


def review_cards(slack: FakeSlackApi) -> dict[MentionKey, Message]:
    """The review cards in the inbox (not thread replies) that still have an Approve button."""
    cards: dict[MentionKey, Message] = {}
    for message in slack.messages_in(INBOX):
        if message.thread_ts:
            continue
        value = approve_value(message)
        if value is not None:
            cards[CardRef.decode(value).key] = message
    return cards


def approve_value(message: Message) -> str | None:
    for block in message.blocks:
        for element in block.get("elements", []) or []:
            if element.get("action_id") == APPROVE:
                return str(element["value"])
    return None


def wait_until(condition: Any, timeout: float, what: str, serve: ServeProcess) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if serve.proc.poll() is not None:
            raise AssertionError(f"serve exited with {serve.proc.returncode}:\n{serve.text}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{serve.text[-4000:]}")
        time.sleep(0.1)


def test_a_mention_on_each_platform_is_carded_approved_and_answered_once(world: World) -> None:
    take_cover(world)
    # Waiting before the service starts: its first polls find them.
    tg_message = world.telegram.private_message("Hi, what time are you open on Friday?")
    tweet = world.x.add_mention("@westkentha how do I pay my rent online?")

    serve = ServeProcess(["--http", "0", "--host", "127.0.0.1", "--poll-seconds", "1"], world.env)
    try:
        port = serve.wait_port()
        base = f"http://127.0.0.1:{port}"
        serve.wait_record(lambda r: r["message"].startswith("socialbot is running"))

        fb_event = world.graph.comment_event("How do I report a repair? My kitchen tap is dripping")
        fb_comment_id = fb_event["entry"][0]["changes"][0]["value"]["comment_id"]
        assert world.graph.deliver(f"{base}/webhooks/facebook/", fb_event) == 200

        tg_key = ("telegram", "westkent_help_bot", f"{tg_message['chat']['id']}:"
                  f"{tg_message['message_id']}")
        x_key = ("twitter", world.x.user_id, tweet["id"])
        fb_key = ("facebook", world.graph.page_id, fb_comment_id)
        wait_until(lambda: {tg_key, x_key, fb_key} <= review_cards(world.slack).keys(), 45,
                   "the three cards", serve)
        cards = review_cards(world.slack)
        assert len(cards) == 3

        slack = SlackSender(f"{base}/slack/events", signing_secret=SIGNING_SECRET,
                            response_url=world.slack.response_url())
        for card in cards.values():
            value = approve_value(card)
            assert value is not None
            response = slack.click(APPROVE, value, user=APPROVER, channel=card.channel,
                                   message_ts=card.ts, blocks=card.blocks)
            assert response.status_code == 200

        def threads() -> list[Message]:
            return [m for m in world.slack.messages_in(INBOX) if m.thread_ts]

        wait_until(lambda: len(threads()) >= 3, 45, "the 'sent' messages in the threads", serve)

        # Exactly one reply on each platform, to the right message.
        assert [(m.chat_id, m.reply_to_message_id) for m in world.telegram.sent] == [
            (tg_message["chat"]["id"], tg_message["message_id"])
        ]
        assert [t["referenced_tweets"] for t in world.x.posted] == [
            [{"type": "replied_to", "id": tweet["id"]}]
        ]
        assert [c["parent"] for c in world.graph.comment_replies] == [fb_comment_id]
        # The DeliveryListener told Slack: each card's thread says what went out.
        assert {m.thread_ts for m in threads()} == {c.ts for c in cards.values()}
        wait_until(lambda: all(approve_value(world.slack.message(INBOX, c.ts)) is None
                               for c in cards.values()), 20, "cards redrawn without buttons", serve)

        health = httpx.get(f"{base}/healthz", timeout=10)
        assert health.status_code == 200
        status = health.json()
        assert status["status"] == "ok" and status["store"] == "ok"
        assert set(status["sources"]) == {"telegram", "twitter:mentions"}
        assert all(s["running"] for s in status["sources"].values())
        assert status["webhooks"] == ["/webhooks/facebook/"]

        assert serve.terminate() == 0
    finally:
        serve.kill()

    messages = serve.messages()
    assert messages[-1] == "stopped"
    # Flickr and YouTube have no credentials here: each is off, said once.
    assert [m for m in messages if m.startswith("flickr is off")] == [
        "flickr is off: FLICKR_API_KEY is not set"
    ]
    assert len([m for m in messages if m.startswith("youtube is off")]) == 1
    for secret in (BOT_TOKEN, SIGNING_SECRET, world.telegram.token, world.x.user_token,
                   world.x.bearer_token, world.graph.page_token, world.graph.app_secret):
        assert secret not in serve.text
    # Each platform got the very text that was approved (the draft on the card), and the
    # store says sent, with the platform's id of the reply.
    store = SqliteStore(world.data_dir / SQLITE_FILENAME)
    try:
        sent = {key: store.get(key) for key in (tg_key, x_key, fb_key)}
    finally:
        store.close()
    assert all(r is not None and r.state is ReviewState.SENT for r in sent.values())
    texts = {key: r.reply_text for key, r in sent.items() if r is not None}
    assert texts[tg_key] == world.telegram.sent[0].text
    assert texts[x_key] == world.x.posted[0]["text"]
    assert texts[fb_key] == world.graph.comment_replies[0]["message"]
    assert "rent" in texts[x_key] and "repair" in texts[fb_key]
    assert len(world.telegram.sent) == len(world.x.posted) == len(world.graph.comment_replies) == 1


def test_sigterm_while_idle_exits_zero_and_healthz_answers(world: World) -> None:
    serve = ServeProcess(["--http", "0", "--host", "127.0.0.1"], world.env)
    try:
        port = serve.wait_port()
        serve.wait_record(lambda r: r["message"].startswith("socialbot is running"))
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        assert health.json()["slack"] == "http"
        assert serve.terminate() == 0
    finally:
        serve.kill()
    assert "stopping (SIGTERM)" in serve.messages()


def test_missing_slack_credentials_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    env = base_env(tmp_path / "data", write_config(tmp_path / "socialbot.toml"))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "error: config key 'SLACK_BOT_TOKEN': missing" in done.stderr
    assert "Traceback" not in done.stderr


def test_http_mode_without_the_signing_secret_exits_2(tmp_path: Path) -> None:
    env = base_env(tmp_path / "data", write_config(tmp_path / "socialbot.toml"))
    env["SLACK_BOT_TOKEN"] = BOT_TOKEN
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "0"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "SLACK_SIGNING_SECRET" in done.stderr and BOT_TOKEN not in done.stderr
    logged = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [r["level"] for r in logged] == ["error"]

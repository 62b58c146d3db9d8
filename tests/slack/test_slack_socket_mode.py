"""Socket Mode, the default: the app connects out to Slack over a WebSocket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackApi
from fakes.slack_requests import SlackSender
from fakes.slack_socket_mode import FakeSocketMode
from slack_rig import APPROVER, IN_HOURS, USERGROUPS, Clock, add_mention, button, env_for, settings

from bot.review.states import ReviewState
from bot.slack.app import build_slack_app, connect_socket_mode
from bot.store.sqlite import SqliteStore


@pytest.fixture
def socket_mode() -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        yield server


def test_a_click_over_socket_mode_is_acked_and_decided(
    socket_mode: FakeSocketMode, tmp_path: Path
) -> None:
    groups = {k: list(v) for k, v in USERGROUPS.items()}
    with FakeSlackApi(usergroups=groups, socket_mode_url=socket_mode.url) as fake:
        store = SqliteStore(tmp_path / "s.sqlite3", clock=Clock(IN_HOURS))
        bot = build_slack_app(settings(), store, env=env_for(fake), clock=Clock(IN_HOURS),
                              posting_interval=0.0)
        bot.start()
        handler = connect_socket_mode(bot)
        try:
            key = add_mention(store)
            bot.desk.publish(key)
            bot.queue.flush()
            card = store.card(key)
            assert card is not None
            shown = fake.message(card.channel, card.ts)
            payload = SlackSender("", signing_secret="").block_action(
                "socialbot.approve", button(shown, "socialbot.approve")["value"],
                user=APPROVER, channel=card.channel, message_ts=card.ts,
            )

            envelope_id = socket_mode.send("interactive", payload)

            assert socket_mode.wait_ack(envelope_id)["envelope_id"] == envelope_id
            fake.wait_for(lambda: bool(fake.calls_to("chat.update", ok_only=True)))
            assert store.get(key).state is ReviewState.APPROVED  # type: ignore[union-attr]
            assert len(store.outbox_for(key)) == 1
            (opened,) = fake.calls_to("apps.connections.open")
            assert opened.token == "xapp-test-token"  # the app token, not the bot token
        finally:
            handler.close()
            bot.stop()
            store.close()

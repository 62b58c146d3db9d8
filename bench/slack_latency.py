"""How fast the Slack app answers a click: the ack (Slack's 3-second limit) and the redrawn card.

Runs the real Bolt app in HTTP mode on 127.0.0.1 against the fake Slack Web API, with a SQLite
store in a temporary folder, posts N cards, then presses Approve on each one (signed requests,
one after another) and reports the time to the HTTP ack and to the card's chat.update.

    python bench/slack_latency.py [--cards 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "slack")]

from fakes.slack_api import FakeSlackApi  # noqa: E402
from fakes.slack_requests import SlackSender  # noqa: E402
from slack_rig import (  # noqa: E402
    APPROVER,
    IN_HOURS,
    SIGNING_SECRET,
    USERGROUPS,
    Clock,
    add_mention,
    button,
    env_for,
    settings,
)

from bot.slack.app import build_slack_app, start_http  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402


def _summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (f"{name}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
            f"max {ms[-1]:.1f} ms (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=200)
    args = parser.parse_args()

    clock = Clock(IN_HOURS)
    groups = {k: list(v) for k, v in USERGROUPS.items()}
    with tempfile.TemporaryDirectory() as folder, FakeSlackApi(usergroups=groups) as fake:
        store = SqliteStore(Path(folder) / "bench.sqlite3", clock=clock)
        bot = build_slack_app(settings(), store, mode="http", env=env_for(fake), clock=clock,
                              posting_interval=0.0)
        bot.start()
        server = start_http(bot)
        slack = SlackSender(server.url, signing_secret=SIGNING_SECRET,
                            response_url=fake.response_url())
        try:
            keys = [add_mention(store) for _ in range(args.cards)]
            started = time.monotonic()
            for key in keys:
                bot.desk.publish(key)
            bot.queue.flush(timeout=600)
            posting = time.monotonic() - started

            acks: list[float] = []
            redrawn: list[float] = []
            for key in keys:
                card = store.card(key)
                assert card is not None
                shown = fake.message(card.channel, card.ts)
                value = button(shown, "socialbot.approve")["value"]
                before = shown.updates
                t0 = time.monotonic()
                response = slack.click("socialbot.approve", value, user=APPROVER,
                                       channel=card.channel, message_ts=card.ts)
                acks.append(time.monotonic() - t0)
                assert response.status_code == 200
                fake.wait_for(lambda shown=shown, before=before: shown.updates > before, 30)
                redrawn.append(time.monotonic() - t0)
            assert sum(len(store.outbox_for(k)) for k in keys) == len(keys)
        finally:
            slack.close()
            server.stop()
            bot.stop()
            store.close()

    print(f"posted {args.cards} cards in {posting:.2f} s (no pacing: the fake does not limit)")
    print(_summary("click → HTTP ack", acks))
    print(_summary("click → card redrawn (chat.update)", redrawn))


if __name__ == "__main__":
    main()

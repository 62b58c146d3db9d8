"""The Slack test rig (fixtures in conftest.py): the real Bolt app over real HTTP, a fake Slack Web API, real SQLite.

``rig`` gives a running app (HTTP mode on 127.0.0.1, port 0) whose Web API client talks to
``FakeSlackApi``, a SQLite store in tmp_path, a clock the test sets, and a ``SlackSender``
that signs requests as Slack does. ``rig.settle()`` waits until every listener that was
started has finished and every queued Slack message has gone: tests then read the outcome
without sleeping.
"""

from __future__ import annotations

import copy
import threading
import tomllib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.slack_api import FakeSlackApi, Message
from fakes.slack_requests import SlackSender

from bot.config import Settings, default_config_text, parse_settings
from bot.domain import Author, Draft, Flag, Intent, Kind, Mention, Platform, Triage
from bot.slack.app import HttpServer, SlackBot
from bot.store.records import MentionKey
from bot.store.sqlite import SqliteStore

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APPROVER, COMMS, BOTH, OUTSIDER = "UAPPROVER", "UCOMMS", "UBOTH", "UOUTSIDER"
USERGROUPS = {"S0APPROVERS": [APPROVER, BOTH], "S0COMMS": [COMMS, BOTH]}
INBOX, COMMS_CHANNEL, URGENT_CHANNEL, MODERATION_CHANNEL = (
    "C0SOCIALINBOX",
    "C0COMMSTEAM",
    "C0URGENT",
    "C0MODERATION",
)
#: Tuesday 12 November 2024, 10:00 in London (GMT): office hours.
IN_HOURS = datetime(2024, 11, 12, 10, 0, tzinfo=UTC)
#: The same Tuesday, 20:00: out of hours.
OUT_OF_HOURS = datetime(2024, 11, 12, 20, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, remembering what it started so a test can wait for it."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="listener")
        self._futures: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.add(future)
        return future

    def busy(self) -> bool:
        with self._lock:
            return any(not f.done() for f in self._futures)

    def wait_idle(self, timeout: float = 20.0) -> None:
        with self._lock:
            futures = list(self._futures)
        _, not_done = wait_futures(futures, timeout)
        assert not not_done, "a listener did not finish"
        for future in futures:
            future.result()  # a listener that raised fails the test


def settings() -> Settings:
    return parse_settings(tomllib.loads(default_config_text()), source="test")


@dataclass
class Rig:
    fake: FakeSlackApi
    store: SqliteStore
    bot: SlackBot
    server: HttpServer
    slack: SlackSender
    clock: Clock
    executor: TrackingExecutor

    def settle(self) -> None:
        """Wait for listeners and the posting queue, until neither has anything left."""
        for _ in range(50):
            self.executor.wait_idle()
            assert self.bot.queue.flush(timeout=20), "the posting queue did not drain"
            if not self.executor.busy() and self.bot.queue.pending() == 0:
                return
        raise AssertionError("the app never settled")

    def publish(self, key: MentionKey) -> Message:
        """Post the cards of ``key``; returns the primary card as it looks now (a copy, so
        it keeps its buttons when the card is updated later, like a screen not yet redrawn)."""
        self.bot.desk.publish(key)
        self.settle()
        card = self.store.card(key)
        assert card is not None, "no card was recorded for the mention"
        return copy.deepcopy(self.fake.message(card.channel, card.ts))

    def card(self, key: MentionKey) -> Message:
        card = self.store.card(key)
        assert card is not None
        return self.fake.message(card.channel, card.ts)

    def click(self, message: Message, action_id: str, user: str, **kwargs: Any) -> Any:
        """Press a button that is really on ``message`` (as Slack would send it)."""
        value = button(message, action_id)["value"]
        response = self.slack.click(
            action_id, value, user=user, channel=message.channel, message_ts=message.ts,
            blocks=message.blocks, **kwargs,
        )
        return response


    def open_dialog(self, message: Message, action_id: str, user: str) -> dict[str, Any]:
        """Press Edit or Reject on ``message``; returns the dialog Slack was asked to open."""
        opened_before = len(self.fake.calls_to("views.open", ok_only=True))
        self.click(message, action_id, user)
        self.settle()
        opened = self.fake.calls_to("views.open", ok_only=True)
        assert len(opened) == opened_before + 1, "no dialog was opened"
        assert opened[-1].args["trigger_id"]
        return dict(opened[-1].args["view"])


def button(message: Message, action_id: str) -> dict[str, Any]:
    for block in message.blocks:
        for element in block.get("elements", []) or []:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button on the card")


def action_ids(message: Message) -> list[str]:
    return [
        str(e["action_id"])
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def message_text(message: Message) -> str:
    """Everything a person reads on a message, blocks included."""
    parts = [message.text]
    for block in message.blocks:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
        for item in block.get("fields", []) or []:
            parts.append(str(item.get("text", "")))
        for element in block.get("elements", []) or []:
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


_ids = iter(range(1000, 100000))


def add_mention(
    store: SqliteStore,
    *,
    intent: Intent = Intent.REPAIR_REPORT,
    flags: tuple[Flag, ...] = (),
    platform: Platform = Platform.TWITTER,
    text: str = "My kitchen tap has been leaking for a week, can someone fix it?",
    draft: str | None = "Sorry to hear that. Please report it at westkent.org/repairs.",
    created_at: datetime = IN_HOURS - timedelta(minutes=5),
    confidence: float = 0.91,
) -> MentionKey:
    """A triaged mention in the store (state ``triaged``), ready for its card."""
    kind = Kind.COMMENT if platform in (Platform.FACEBOOK, Platform.YOUTUBE) else Kind.MENTION
    mention = Mention(
        id=str(next(_ids)),
        platform=platform,
        kind=kind,
        author=Author("jane_tenant", "Jane Tenant"),
        text=text,
        created_at=created_at,
        account="westkentha",
        url=f"https://x.com/jane_tenant/status/{next(_ids)}",
    )
    store.ingest(mention)
    store.record_triage(
        mention.key,
        Triage(intent, confidence, frozenset(flags)),
        Draft(draft, intent.value, platform) if draft is not None else None,
    )
    return mention.key


def env_for(fake: FakeSlackApi) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_APP_TOKEN": "xapp-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
    }

"""``socialbot serve`` as people run it, against our fakes, for the Slack, burst and memory
benchmarks.

A real subprocess (``python -m bot serve --http 0 --host 127.0.0.1``) talks to the fake Slack
Web API and the fake Facebook Graph API of tests/fakes/, both on 127.0.0.1 in this process.
Mentions arrive as signed Facebook webhook deliveries (comments, several per delivery as
Facebook batches them); clicks arrive as signed Slack interactions. Somebody is put on cover
before it starts, so cards are posted at once whatever the time of day the benchmark runs.
Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import measure  # noqa: F401  (first: it puts the repository and tests/ on sys.path)

# isort: split
from fakes.graph_api import FakeGraphApi
from fakes.slack_api import Call, FakeSlackApi
from fakes.slack_requests import SlackSender, sign
from serve_process import ServeProcess, base_env

from bot.config import default_config_text
from bot.domain import Mention
from bot.errors import InputError
from bot.slack.cards import CardRef
from bot.store.factory import SQLITE_FILENAME
from bot.store.records import MentionKey
from bot.store.sqlite import SqliteStore

__all__ = ["ServiceUnderTest", "SlackSender", "running_service", "sign"]

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-bot-token-0123456789"
APPROVER = "U0BENCHAPPROVER"
# The channels and groups of the packaged example configuration (bot/socialbot.toml).
INBOX, URGENT = "C0SOCIALINBOX", "C0URGENT"
USERGROUPS = {"S0APPROVERS": [APPROVER], "S0COMMS": [APPROVER]}


@dataclass(frozen=True)
class CardPost:
    """One card as the fake Slack received it."""

    key: MentionKey
    channel: str
    at: float  # time.time() when it reached the fake Slack


@dataclass
class MemorySampler:
    """Reads the peak resident set (VmHWM) and current RSS of a process every ``interval``."""

    pid: int
    interval: float = 0.2
    peak_kb: int = 0
    samples: list[tuple[float, int]] = field(default_factory=list)  # (time.time(), VmRSS kB)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        status = _proc_status(self.pid)
        if "VmHWM" in status:
            self.peak_kb = max(self.peak_kb, status["VmHWM"])
        if "VmRSS" in status:
            self.samples.append((time.time(), status["VmRSS"]))


def _proc_status(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0])
    return values


class ServiceUnderTest:
    """The fakes, a data folder, and ``socialbot serve`` running against them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.slack = FakeSlackApi(usergroups=USERGROUPS)
        self.graph = FakeGraphApi()
        self.data_dir = folder / "data"
        self.serve: ServeProcess | None = None
        self.port = 0
        # Fake-Slack times are time.monotonic(); store times are wall-clock.
        self._wall_minus_monotonic = time.time() - time.monotonic()

    def start(self, timeout: float = 120.0) -> ServiceUnderTest:
        self.slack.start()
        self.graph.start()
        config = self.folder / "socialbot.toml"
        config.write_text(default_config_text(), encoding="utf-8")
        self._take_cover()
        env = base_env(self.data_dir, config)
        env.update({
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.slack.base_url,
            "FACEBOOK_PAGE_TOKEN": self.graph.page_token,
            "FACEBOOK_APP_SECRET": self.graph.app_secret,
            "FACEBOOK_VERIFY_TOKEN": self.graph.verify_token,
            "FACEBOOK_API_URL": self.graph.base_url,
        })
        self.serve = ServeProcess(["--http", "0", "--host", "127.0.0.1"], env)
        self.port = self.serve.wait_port(timeout)
        self.serve.wait_record(lambda r: r["message"].startswith("socialbot is running"), timeout)
        return self

    def _take_cover(self) -> None:
        """As `/socialbot cover on` records it: cards go out now, even at night."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(self.data_dir / SQLITE_FILENAME)
        try:
            store.set_cover(APPROVER, "benchmark", datetime.now(UTC) + timedelta(days=1))
        finally:
            store.close()

    @property
    def pid(self) -> int:
        assert self.serve is not None
        return int(self.serve.proc.pid)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/webhooks/facebook/"

    @property
    def slack_url(self) -> str:
        return f"{self.base_url}/slack/events"

    def stop(self) -> int:
        code = self.serve.terminate(timeout=90) if self.serve is not None else 0
        self.graph.stop()
        self.slack.stop()
        return code

    # ----- mentions in ----------------------------------------------------------------------

    def delivery(self, mentions: Sequence[Mention]) -> tuple[bytes, str, list[MentionKey]]:
        """One Facebook webhook delivery carrying a comment for each mention: the body, its
        signature and the keys the service will store them under."""
        changes: list[Any] = []
        keys: list[MentionKey] = []
        for mention in mentions:
            event = self.graph.comment_event(
                mention.text,
                user_id=str(10**14 + zlib.crc32(mention.author.handle.encode())),
                user_name=mention.author.name or mention.author.handle,
            )
            change = event["entry"][0]["changes"][0]
            changes.append(change)
            keys.append(("facebook", self.graph.page_id, change["value"]["comment_id"]))
        body = json.dumps(self.graph.wrap(changes)).encode()
        return body, self.graph.sign(body), keys

    # ----- cards out ------------------------------------------------------------------------

    def card_posts(self) -> list[CardPost]:
        """Every card posted so far (chat.postMessage that Slack accepted), oldest first."""
        posts: list[CardPost] = []
        for call in self.slack.calls_to("chat.postMessage", ok_only=True):
            key = card_key(call)
            if key is not None and not call.args.get("thread_ts"):
                posts.append(CardPost(key, str(call.args.get("channel")),
                                      call.at + self._wall_minus_monotonic))
        return posts

    def wall(self, monotonic: float) -> float:
        return monotonic + self._wall_minus_monotonic

    # ----- what the store says --------------------------------------------------------------

    def stored(self) -> dict[MentionKey, StoredMention]:
        """Every mention in the store with when it was stored, triaged and queued for review
        (read straight from the SQLite file; call after stop() for the final state)."""
        db = sqlite3.connect(self.data_dir / SQLITE_FILENAME)
        try:
            out: dict[MentionKey, StoredMention] = {}
            for platform, account, ident, received, urgent, state in db.execute(
                "SELECT platform, account, external_id, received_at, urgent, state FROM mentions"
            ):
                out[(platform, account, ident)] = StoredMention(
                    _epoch(received), bool(urgent), state
                )
            for platform, account, ident, to_state, at in db.execute(
                "SELECT platform, account, external_id, to_state, at FROM transitions"
            ):
                record = out.get((platform, account, ident))
                if record is not None:
                    record.steps.setdefault(to_state, _epoch(at))
            return out
        finally:
            db.close()


@dataclass
class StoredMention:
    received_at: float
    urgent: bool
    state: str
    steps: dict[str, float] = field(default_factory=dict)  # state -> first time reached


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def card_key(call: Call) -> MentionKey | None:
    """The mention a card is about, from the value its buttons carry."""
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        for element in block.get("elements", []) or []:
            value = element.get("value") if isinstance(element, dict) else None
            if isinstance(value, str):
                try:
                    return CardRef.decode(value).key
                except InputError:
                    continue
    return None


@contextlib.contextmanager
def running_service() -> Iterator[ServiceUnderTest]:
    with tempfile.TemporaryDirectory(prefix="socialbot-bench-") as folder:
        service = ServiceUnderTest(Path(folder))
        try:
            yield service.start()
        finally:
            if service.serve is not None:
                service.serve.kill()
            with contextlib.suppress(Exception):
                service.graph.stop()
                service.slack.stop()

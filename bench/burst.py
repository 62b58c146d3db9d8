"""A storm: 10,000 mentions delivered within 60 s to ``socialbot serve``.

Mentions (the team's texts, varied: bench/workload.py) arrive as signed Facebook webhook
deliveries of ``--batch`` comments at a steady pace over ``--seconds``; serve runs as a
subprocess against the fake Slack and Graph APIs, with somebody on cover so every card is
due at once. After the last delivery the benchmark watches for ``--drain`` seconds more,
then stops serve (SIGTERM) and reads the store.

What it reports:
- none lost: every mention delivered is stored and triaged (read from the SQLite file);
- arrival → stored (the webhook answers only once they are) and arrival → triaged;
- urgent → card: seconds from an urgent mention's arrival to its first card in Slack;
- a person clicking on cards during the storm: how long Slack waits for the answer (3 s
  at most, or Slack shows an error);
- Slack pace: cards per channel, their rate and the shortest gap between two in one channel
  (Slack allows about one message a second per channel);
- priority order: normal cards posted while an urgent card for the same channel was waiting,
  and normal cards posted out of arrival order.

At one message a second per channel, 10,000 cards take close to three hours to post in the
inbox alone: the benchmark measures what the window shows and says what is left.

    python bench/burst.py                       # 10,000 mentions in 60 s, 30 s more to watch
    python bench/burst.py --n 50 --seconds 5 --drain 3   # a smoke run
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise

import httpx
from measure import percentile, print_table
from serve_harness import (
    APPROVER,
    INBOX,
    SIGNING_SECRET,
    CardPost,
    MemorySampler,
    ServiceUnderTest,
    SlackSender,
    StoredMention,
    running_service,
)
from workload import varied_mentions

from bot.store.records import MentionKey

URGENT_TARGET_S = 5.0


@dataclass
class Delivery:
    body: bytes
    signature: str
    keys: list[MentionKey]
    sent: float = 0.0  # time.time()
    answered: float = 0.0
    status: int = 0


@dataclass
class BurstResult:
    deliveries: list[Delivery]
    window_end: float
    cards: list[CardPost]
    stored: dict[MentionKey, StoredMention]
    exit_code: int
    memory: MemorySampler
    idle_rss_kb: int
    started: float
    clicks: list[float] = field(default_factory=list)  # seconds to each click's answer
    clicks_failed: int = 0


def run_burst(count: int, seconds: float, batch: int, drain: float, senders: int) -> BurstResult:
    mentions = varied_mentions(count)
    with running_service() as service:
        memory = MemorySampler(service.pid).start()
        time.sleep(1.0)
        memory.sample()
        idle = memory.samples[-1][1] if memory.samples else 0
        deliveries = [
            Delivery(*service.delivery(mentions[i : i + batch]))
            for i in range(0, len(mentions), batch)
        ]
        started = time.time()
        clicker = Clicker(service).start()
        try:
            send_all(service, deliveries, seconds, senders)
        finally:
            clicker.stop()
        deadline = time.time() + drain
        while time.time() < deadline:
            time.sleep(0.2)
        window_end = time.time()
        cards = service.card_posts()
        code = service.stop()
        memory.stop()
        stored = service.stored()
    return BurstResult(deliveries, window_end, cards, stored, code, memory, idle, started,
                       clicker.latencies, clicker.failed)


class Clicker:
    """A person at work during the storm: a click on a review card every ``every`` seconds
    (Edit, which opens a dialog, then Approve, in turn), timed to Slack's answer."""

    def __init__(self, service: ServiceUnderTest, every: float = 0.5) -> None:
        self.service = service
        self.every = every
        self.latencies: list[float] = []
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Clicker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        sender = SlackSender(self.service.slack_url, signing_secret=SIGNING_SECRET,
                             response_url=self.service.slack.response_url("storm"))
        actions = ("socialbot.edit", "socialbot.approve")
        try:
            number = 0
            while not self._stop.wait(self.every):
                cards = review_buttons(self.service)
                if not cards:
                    continue
                value, ts = cards[-1]
                t0 = time.perf_counter()
                response = sender.click(actions[number % 2], value, user=APPROVER,
                                        channel=INBOX, message_ts=ts)
                self.latencies.append(time.perf_counter() - t0)
                self.failed += response.status_code != 200
                number += 1
        finally:
            sender.close()


def review_buttons(service: ServiceUnderTest) -> list[tuple[str, str]]:
    """(Approve button value, ts) of the review cards in the inbox so far."""
    out = []
    for call in service.slack.calls_to("chat.postMessage", ok_only=True):
        if call.args.get("channel") != INBOX or call.args.get("thread_ts"):
            continue
        for block in call.args.get("blocks") or []:
            for element in block.get("elements", []) or []:
                if element.get("action_id") == "socialbot.approve":
                    out.append((str(element["value"]), str(call.response.get("ts"))))
    return out


def send_all(
    service: ServiceUnderTest, deliveries: list[Delivery], seconds: float, senders: int
) -> None:
    """POST each delivery at its slot in ``seconds``; a few senders, so a slow answer does
    not hold the next delivery back."""
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def send(delivery: Delivery) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=60)
            with lock:
                clients.append(client)
        delivery.sent = time.time()
        response = client.post(service.webhook_url, content=delivery.body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": delivery.signature})
        delivery.answered = time.time()
        delivery.status = response.status_code

    step = seconds / max(1, len(deliveries))
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        for number, delivery in enumerate(deliveries):
            pause = start + number * step - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(send, delivery)
    for client in clients:
        client.close()


def report(result: BurstResult, args: argparse.Namespace) -> None:
    sent_at = {key: d.sent for d in result.deliveries for key in d.keys}
    total = len(sent_at)
    stored = {k: result.stored[k] for k in sent_at if k in result.stored}
    triaged = {k: s for k, s in stored.items() if "triaged" in s.steps}
    first_sent = min(d.sent for d in result.deliveries)
    last_sent = max(d.sent for d in result.deliveries)
    bad = [d for d in result.deliveries if d.status != 200]

    to_stored = [stored[k].received_at - sent_at[k] for k in stored]
    acks = [d.answered - d.sent for d in result.deliveries if d.status == 200]
    to_triaged = [s.steps["triaged"] - sent_at[k] for k, s in triaged.items()]
    all_triaged_at = max((s.steps["triaged"] for s in triaged.values()), default=first_sent)

    first_card: dict[MentionKey, float] = {}
    for card in result.cards:
        first_card.setdefault(card.key, card.at)
    urgent = [k for k, s in stored.items() if s.urgent]
    urgent_carded = [first_card[k] - sent_at[k] for k in urgent if k in first_card]
    within = sum(1 for s in urgent_carded if s <= URGENT_TARGET_S)

    rows: list[list[object]] = [
        ["mentions delivered", f"{total:,} in {len(result.deliveries):,} webhook deliveries "
         f"over {last_sent - first_sent:.1f} s ({total / max(last_sent - first_sent, 1e-9):.0f}/s)",
         f"{len(bad)} not answered 200"],
        ["stored (none lost?)", f"{len(stored):,} of {total:,}",
         "none lost" if len(stored) == total else f"{total - len(stored)} MISSING"],
        ["triaged by the end", f"{len(triaged):,} of {total:,}",
         f"last triaged {all_triaged_at - first_sent:.1f} s after the first arrival"],
        ["webhook answer (stored) p50 / p99 / max", _seconds(acks), ""],
        ["arrival → stored p50 / p99 / max", _seconds(to_stored), ""],
        ["arrival → triaged p50 / p99 / max", _seconds(to_triaged), ""],
        ["urgent mentions", f"{len(urgent):,} ({len(urgent) / max(total, 1):.1%})",
         f"{len(urgent_carded):,} carded in the window"],
        ["urgent → first card p50 / p99 / max", _seconds(urgent_carded),
         f"{within:,} of {len(urgent):,} within {URGENT_TARGET_S:.0f} s"],
    ]
    rows.append(["click → ack during the storm p50 / p99 / max", _seconds(result.clicks),
                 f"{len(result.clicks)} clicks, {result.clicks_failed} not answered 200"])
    for channel, posts in sorted(_by_channel(result.cards).items()):
        times = [p.at for p in posts]
        gaps = [b - a for a, b in pairwise(times)]
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        rate = (len(times) - 1) / span if span > 0 else 0.0
        rows.append([f"Slack pace in {channel}",
                     f"{len(times):,} cards, {rate:.2f}/s",
                     f"shortest gap {min(gaps):.3f} s" if gaps else "one card"])
    inversions, out_of_order, normal_posted = _order(result.cards, stored)
    rows.append(["priority order in the inbox",
                 f"{inversions} normal card(s) posted while an urgent one waited",
                 f"{out_of_order} of {normal_posted} normal cards out of arrival order"])
    posted = len({c.key for c in result.cards if c.channel == INBOX})
    rows.append(["inbox backlog at the end of the window", f"{total - posted:,} cards to post",
                 f"≈ {(total - posted) / 3600:.1f} h at one a second"])
    rows.append(["serve memory: peak RSS", f"{result.memory.peak_kb / 1024:.0f} MB",
                 f"idle {result.idle_rss_kb / 1024:.0f} MB; exit code {result.exit_code}"])
    print_table(
        f"Burst: {args.n:,} mentions within {args.seconds:.0f} s to socialbot serve "
        f"(Facebook webhook, {args.batch} a delivery), watched {args.drain:.0f} s more",
        ["what", "measured", "notes"],
        rows,
    )


def _seconds(values: list[float]) -> str:
    if not values:
        return "—"
    return " / ".join(f"{percentile(values, p):.3f}" for p in (50, 99, 100)) + " s"


def _by_channel(cards: list[CardPost]) -> dict[str, list[CardPost]]:
    out: dict[str, list[CardPost]] = {}
    for card in cards:
        out.setdefault(card.channel, []).append(card)
    for posts in out.values():
        posts.sort(key=lambda p: p.at)
    return out


#: A card is taken from the queue a moment before it reaches Slack: this much slack.
PICK_TOLERANCE_S = 0.2


def _order(cards: list[CardPost], stored: dict[MentionKey, StoredMention]) -> tuple[int, int, int]:
    """In the inbox: normal cards posted while an urgent card was waiting, and normal cards
    posted before one queued earlier (both should be 0)."""
    inbox = [c for c in cards if c.channel == INBOX and c.key in stored]
    posted_at = {c.key: c.at for c in inbox}
    queued_at = {
        k: s.steps.get("queued_for_review", s.received_at) for k, s in stored.items()
    }
    urgent_keys = [k for k, s in stored.items() if s.urgent]
    inversions = 0
    normal = sorted((c for c in inbox if not stored[c.key].urgent), key=lambda c: c.at)
    for card in normal:
        if any(queued_at[u] < card.at - PICK_TOLERANCE_S
               and posted_at.get(u, float("inf")) > card.at for u in urgent_keys):
            inversions += 1
    out_of_order = sum(
        1 for a, b in pairwise(normal)
        if queued_at[b.key] < queued_at[a.key] - PICK_TOLERANCE_S
    )
    return inversions, out_of_order, len(normal)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="mentions (default 10,000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="delivered over (60 s)")
    parser.add_argument("--batch", type=int, default=10, help="comments per webhook delivery")
    parser.add_argument("--drain", type=float, default=30.0, help="seconds watched afterwards")
    parser.add_argument("--senders", type=int, default=8, help="deliveries in flight at most")
    args = parser.parse_args(argv)
    result = run_burst(args.n, args.seconds, args.batch, args.drain, args.senders)
    report(result, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

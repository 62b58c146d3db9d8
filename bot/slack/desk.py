"""The card desk: puts review cards into Slack, keeps them up to date, and reports deliveries.

- :meth:`CardDesk.publish` posts the cards a mention needs (see ``routing``), now or, out of
  hours with nobody on cover, at the next opening time. It is safe to call again: a channel
  that already has the card, or whose card is on its way, is skipped.
- :meth:`CardDesk.sweep` publishes whatever is waiting for review without its cards (a Slack
  failure, a restart, the cards held overnight): the store is the queue, so no mention is lost.
- :meth:`CardDesk.refresh` redraws every card of a mention after a decision.
- :meth:`CardDesk.delivered` / :meth:`CardDesk.gave_up` are what the outbox calls when a reply
  (or a hide) went out or could not: the cards are redrawn and the review card's thread says
  what was sent and where, or what went wrong, with a Retry button.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import Settings
from bot.domain import Platform
from bot.errors import AlreadyDecided, IllegalTransition, StoreError, UnknownMention
from bot.hours import is_out_of_hours
from bot.review.states import PENDING_REVIEW, ReviewState
from bot.slack.cards import Card, render_card, render_failed, render_note, render_sent
from bot.slack.mrkdwn import escape, when
from bot.slack.posting_queue import PostingQueue
from bot.slack.routing import Route, plan_routes
from bot.store.port import Store
from bot.store.records import (
    Clock,
    Cover,
    MentionKey,
    MentionRecord,
    OutboxAction,
    OutboxItem,
)

log = logging.getLogger(__name__)

#: After the posting queue gave up on a channel, leave it this long before the sweep tries.
RETRY_GIVEN_UP_SECONDS = 300.0
SWEEP_LIMIT = 200


class CardDesk:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        client: WebClient,
        queue: PostingQueue,
        *,
        clock: Clock,
        retry_given_up_seconds: float = RETRY_GIVEN_UP_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._settings = settings
        self._client = client
        self._queue = queue
        self._clock = clock
        self._retry_given_up = retry_given_up_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._in_flight: set[tuple[MentionKey, str]] = set()
        self._given_up: dict[tuple[MentionKey, str], float] = {}
        self._team_url: str | None = None

    @property
    def tz(self) -> tzinfo:
        return self._settings.hours.timezone

    # ----- new cards -----------------------------------------------------------------------

    def publish(self, key: MentionKey) -> int:
        """Post the cards ``key`` still needs, if they are due; returns how many were queued."""
        record = self._store.get(key)
        if record is None:
            log.warning("publish: no mention %s", key)
            return 0
        return self._publish(record, self._situation())

    def sweep(self) -> int:
        """Publish everything waiting for review that lacks cards; returns how many were queued."""
        situation = self._situation()
        queued = 0
        waiting = self._store.in_state(ReviewState.TRIAGED, limit=SWEEP_LIMIT)
        waiting += self._store.review_queue(limit=SWEEP_LIMIT)
        for record in waiting:
            try:
                queued += self._publish(record, situation)
            except StoreError as exc:
                log.warning("sweep: %s: %s", record.key, exc)
        return queued

    def _situation(self) -> tuple[bool, Cover | None]:
        """Whether it is out of hours now, and who is on cover: the same for every card."""
        return is_out_of_hours(self._clock(), self._settings.hours), self._store.get_cover()

    def _publish(self, record: MentionRecord, situation: tuple[bool, Cover | None]) -> int:
        key = record.key
        if record.state is ReviewState.TRIAGED:
            try:
                record = self._store.queue_for_review(key, actor="slack")
            except (AlreadyDecided, IllegalTransition):
                # Queued (or decided) by somebody else a moment ago: take it as it is now.
                record = self._store.get(key) or record
        if record.state not in PENDING_REVIEW:
            return 0
        out_of_hours, cover = situation
        plan = plan_routes(record, self._settings.slack, out_of_hours=out_of_hours, cover=cover)
        if not plan.due:
            return 0
        have = {card.channel for card in self._store.cards(key)}
        queued = 0
        for route in sorted(plan.routes, key=lambda r: not r.primary):
            if route.channel in have or not self._claim(key, route.channel):
                continue
            self._post_card(record, route)
            queued += 1
        return queued

    def _claim(self, key: MentionKey, channel: str) -> bool:
        slot = (key, channel)
        with self._lock:
            if slot in self._in_flight:
                return False
            until = self._given_up.get(slot)
            if until is not None and self._monotonic() < until:
                return False
            self._given_up.pop(slot, None)
            self._in_flight.add(slot)
            return True

    def _post_card(self, record: MentionRecord, route: Route) -> None:
        # Only the key and the route wait in the queue (not the record, not the blocks): the
        # card is drawn from the store when its turn comes, as the mention stands then.
        key, slot = record.key, (record.key, route.channel)
        drawn_state = record.state

        def render() -> Card:
            nonlocal drawn_state
            current = self._store.get(key)
            if current is None:
                raise UnknownMention(f"no mention {key}")
            drawn_state = current.state
            return render_card(current, tz=self.tz, alert=route.alert)

        def done(response: dict[str, Any]) -> None:
            try:
                self._store.set_card(
                    key, str(response.get("channel") or route.channel), str(response["ts"]),
                    primary=route.primary,
                )
            finally:
                with self._lock:
                    self._in_flight.discard(slot)
            # A decision may have landed while the card was on its way: draw it as it is now.
            now = self._store.get(key)
            if now is not None and now.state is not drawn_state:
                self.refresh(key)

        def give_up(exc: Exception) -> None:
            with self._lock:
                self._in_flight.discard(slot)
                self._given_up[slot] = self._monotonic() + self._retry_given_up

        self._queue.post_drawn_later(
            route.channel, render, urgent=record.urgent, on_done=done, on_give_up=give_up
        )

    # ----- after a decision ----------------------------------------------------------------

    def refresh(self, key: MentionKey, *, note: str = "") -> None:
        """Redraw every card of ``key`` as it stands now (buttons go once it is decided), and
        post the cards a new state calls for (escalated → the Comms channel)."""
        record = self._store.get(key)
        if record is None:
            return
        if not note:
            note = self._last_note(key, record)
        card = render_card(record, tz=self.tz, note=note)
        for ref in self._store.cards(key):
            self._queue.update(ref.channel, ref.ts, card)
        if record.state in PENDING_REVIEW:
            self.publish(key)

    def _last_note(self, key: MentionKey, record: MentionRecord) -> str:
        """The reason or note given with the decision that led to the current state."""
        if record.state not in (ReviewState.REJECTED, ReviewState.IGNORED, ReviewState.ESCALATED):
            return ""
        for step in reversed(self._store.history(key)):
            if step.to_state is record.state:
                return step.text or step.note
        return ""

    # ----- the outbox reports ---------------------------------------------------------------

    def delivered(self, item: OutboxItem, url: str = "") -> None:
        """The outbox delivered ``item``: redraw the cards and say so in the card's thread."""
        record = self._store.get(item.key)
        if record is None:
            return
        self.refresh(item.key)
        if item.action is OutboxAction.HIDE:
            text = f"🙈 Hidden on {record.mention.platform.value} at {self._now_text()}."
            self._thread(item.key, render_note(text, "Hidden"))
            return
        reply_url = url or reply_link(record.mention.platform, item.platform_id)
        self._thread(item.key, render_sent(record, reply_url or record.mention.url, tz=self.tz))

    def gave_up(self, item: OutboxItem) -> None:
        """The outbox gave up on ``item``: redraw the cards; the thread shows the error."""
        record = self._store.get(item.key)
        if record is None:
            return
        self.refresh(item.key)
        if item.action is OutboxAction.HIDE:
            text = (
                f"❌ Hiding failed: {escape(item.last_error) or 'no detail'}. "
                "Please hide or remove it on the platform yourself."
            )
            self._thread(item.key, render_note(text, "Hiding failed"))
            return
        failed = render_failed(record, item.last_error, tz=self.tz, in_doubt=item.needs_reconcile)
        self._thread(item.key, failed)

    def replace(self, channel: str, ts: str, card: Card) -> None:
        """Redraw one message (e.g. a thread reply whose button has been used)."""
        self._queue.update(channel, ts, card)

    def announce(self, channel: str, card: Card) -> None:
        """A message for everyone in ``channel`` (e.g. who is on cover)."""
        self._queue.post(channel, card)

    def _thread(self, key: MentionKey, card: Card) -> None:
        primary = self._store.card(key)
        if primary is None:
            log.warning("no card for %s: cannot post %r in its thread", key, card.text)
            return
        self._queue.post(primary.channel, card, thread_ts=primary.ts)

    def _now_text(self) -> str:
        return when(self._clock().astimezone(self.tz))

    # ----- links ---------------------------------------------------------------------------

    def permalink(self, channel: str, ts: str) -> str:
        """A link to a card, built from the workspace URL (auth.test, asked once)."""
        if self._team_url is None:
            try:
                self._team_url = str(self._client.auth_test().get("url") or "")
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning("auth.test failed: %s", exc)
                return ""
        if not self._team_url:
            return ""
        return f"{self._team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def reply_link(platform: Platform, platform_id: str) -> str:
    """Where people can see our reply, when the platform has public links to it."""
    if not platform_id:
        return ""
    if platform is Platform.TWITTER:
        return f"https://x.com/i/web/status/{platform_id}"
    if platform is Platform.FACEBOOK:
        return f"https://www.facebook.com/{platform_id}"
    return ""

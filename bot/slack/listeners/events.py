"""Events: opening the App Home tab draws the queue, today's counts and the cover."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.slack.home import render_home
from bot.slack.services import SlackServices
from bot.store.records import MentionRecord

log = logging.getLogger(__name__)

#: How many waiting mentions the home tab counts (it lists the first few dozen).
QUEUE_LIMIT = 1000


def register(app: App, services: SlackServices) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        event_id = str(body.get("event_id") or "")
        if event_id and not services.store.record_once(f"slack:event:{event_id}"):
            return
        publish_home(services, str(event["user"]))


def publish_home(services: SlackServices, user_id: str) -> None:
    store, tz = services.store, services.tz
    now = services.clock()

    def card_link(record: MentionRecord) -> str:
        card = store.card(record.key)
        return services.desk.permalink(card.channel, card.ts) if card is not None else ""

    view = render_home(
        store.review_queue(limit=QUEUE_LIMIT),
        store.counts_by_intent(now.astimezone(tz).date(), tz),
        store.get_cover(),
        now=now,
        tz=tz,
        card_link=card_link,
    )
    services.client.views_publish(user_id=user_id, view=view)

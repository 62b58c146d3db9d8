"""Buttons on cards: decide at once, or (Edit, Reject) open a dialog first.

Every listener acks first. Edit and Reject open their dialog straight after the ack: Slack's
trigger id dies after 3 seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors import InputError
from bot.review.service import Decision
from bot.slack.cards import Card, CardRef, action_id, render_note
from bot.slack.interactions import Click, click_from_block_action, handle, pending_record
from bot.slack.modals import ModalContext, edit_modal, reject_modal
from bot.slack.mrkdwn import user, when
from bot.slack.services import SlackServices
from bot.store.records import MentionRecord

log = logging.getLogger(__name__)

#: Buttons that decide with one click.
ONE_CLICK = (
    Decision.APPROVE,
    Decision.ESCALATE,
    Decision.HIDE,
    Decision.REMOVE,
    Decision.LEAVE,
    Decision.NO_REPLY,
)

Listener = Callable[..., None]


def register(app: App, services: SlackServices) -> None:
    for decision in ONE_CLICK:
        app.action(action_id(decision))(_decide(services))
    app.action(action_id(Decision.EDIT))(_open_dialog(services, edit_modal))
    app.action(action_id(Decision.REJECT))(_open_dialog(services, reject_modal))
    app.action(action_id(Decision.RETRY))(_retry(services))


def _click(body: dict[str, Any]) -> Click | None:
    try:
        return click_from_block_action(body)
    except InputError as exc:
        log.warning("ignoring a button: %s", exc)
        return None


def _decide(services: SlackServices) -> Listener:
    def on_click(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        click = _click(body)
        if click is not None:
            handle(services, click)

    return on_click


def _open_dialog(
    services: SlackServices, build: Callable[[MentionRecord, ModalContext], dict[str, Any]]
) -> Listener:
    def on_click(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        click = _click(body)
        if click is None:
            return
        record = pending_record(services, click)
        if record is None:
            return
        context = ModalContext(CardRef.of(record), click.channel, click.message_ts)
        try:
            services.client.views_open(trigger_id=body["trigger_id"], view=build(record, context))
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("views.open failed: %s", exc)
            services.tell(click.user, click.channel,
                          "The dialog could not open in time; please click the button again.")

    return on_click


def _retry(services: SlackServices) -> Listener:
    def on_click(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        click = _click(body)
        if click is None:
            return
        if handle(services, click) is None or not (click.channel and click.message_ts):
            return
        # The failed message in the thread keeps its error but loses its Retry button.
        kept = [b for b in (body.get("message") or {}).get("blocks", [])
                if b.get("type") != "actions"]
        at = when(services.clock().astimezone(services.tz))
        note = render_note(f"🔁 Retried by {user(click.user)} at {at}", "Retried")
        services.desk.replace(click.channel, click.message_ts, Card(note.text, kept + note.blocks))

    return on_click

"""``/socialbot``: ack at once, answer through the response URL (only the person sees it)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.services import SlackServices
from bot.slack.slash import run_command

log = logging.getLogger(__name__)

COMMAND = "/socialbot"


def register(app: App, services: SlackServices) -> None:
    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        trigger = str(command.get("trigger_id") or "")
        if trigger and not services.store.record_once(f"slack:command:{trigger}"):
            log.info("ignoring a repeat of /socialbot (%s)", trigger)
            return
        answer = run_command(services, str(command["user_id"]), str(command.get("text") or ""))
        respond(text=answer, response_type="ephemeral")

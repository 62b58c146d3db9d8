"""Slack listeners, one group per kind of request; each module has ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, views
from bot.slack.services import SlackServices


def register_all(app: App, services: SlackServices) -> None:
    for group in (actions, views, commands, events):
        group.register(app, services)

"""What the listeners work with, bundled so each ``register(app, services)`` takes one thing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import tzinfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import Settings
from bot.slack.desk import CardDesk
from bot.slack.permissions import Permissions
from bot.store.port import Store
from bot.store.records import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackServices:
    store: Store
    settings: Settings
    client: WebClient
    permissions: Permissions
    desk: CardDesk
    clock: Clock

    @property
    def tz(self) -> tzinfo:
        return self.settings.hours.timezone

    def tell(self, user: str, channel: str, text: str) -> None:
        """A message only ``user`` sees: ephemeral in ``channel``, else a direct message.

        Best effort: the person acted and nothing depends on this reaching them.
        """
        if channel:
            try:
                self.client.chat_postEphemeral(channel=channel, user=user, text=text)
                return
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning("ephemeral to %s in %s failed (%s); sending a DM", user, channel, exc)
        try:
            self.client.chat_postMessage(channel=user, text=text)
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("could not tell %s: %s", user, exc)

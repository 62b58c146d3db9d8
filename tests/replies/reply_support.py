"""Shared pieces of the reply-drafting tests (moments, kinds, a triage maker)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import default_config_text
from bot.domain import Flag, Intent, Kind, Mention, Platform, Triage

LONDON = ZoneInfo("Europe/London")
# Wednesday 20 May 2026, 11:00 in London: inside office hours.
IN_HOURS = datetime(2026, 5, 20, 11, 0, tzinfo=LONDON)
# Friday 15 May 2026, 18:00 in London: we next open at 9am on Monday 18 May.
FRIDAY_EVENING = datetime(2026, 5, 15, 18, 0, tzinfo=LONDON)

# How a mention reaches us on each platform we answer on.
KINDS_BY_PLATFORM = {
    Platform.TWITTER: (Kind.MENTION, Kind.REPLY, Kind.DM),
    Platform.FACEBOOK: (Kind.COMMENT, Kind.REPLY, Kind.MENTION, Kind.DM),
    Platform.TELEGRAM: (Kind.DM, Kind.MENTION, Kind.REPLY),
}

MentionFactory = Callable[..., Mention]


def raw_config() -> dict[str, Any]:
    return tomllib.loads(default_config_text())


def triage(intent: Intent, *flags: Flag) -> Triage:
    return Triage(intent=intent, confidence=0.9, flags=frozenset(flags))

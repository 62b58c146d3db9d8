"""Fixtures for the reply-drafting tests: the West Kent settings and one drafter for all."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # reply_support

from builders import mention
from reply_support import IN_HOURS, MentionFactory, raw_config

from bot.config import Settings, parse_settings
from bot.domain import Kind, Mention, Platform
from bot.reply import ReplyDrafter


@pytest.fixture(scope="session")
def settings() -> Settings:
    return parse_settings(raw_config())


@pytest.fixture(scope="session")
def drafter(settings: Settings) -> ReplyDrafter:
    return ReplyDrafter(settings)


@pytest.fixture
def make_mention() -> MentionFactory:
    def make(
        platform: Platform = Platform.TWITTER,
        kind: Kind = Kind.MENTION,
        text: str = "hello",
        created_at: datetime = IN_HOURS,
        name: str = "Sam Jones",
        handle: str = "sam_jones",
    ) -> Mention:
        return mention(text, platform, kind, created_at, handle=handle, name=name)

    return make

from __future__ import annotations

import pytest

from bot.config import Settings, load_settings
from bot.processing import MentionProcessor
from bot.triage.pipeline import Triager


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def triager(settings: Settings) -> Triager:
    return Triager.load(settings)


@pytest.fixture(scope="session")
def processor(settings: Settings, triager: Triager) -> MentionProcessor:
    from bot.reply.drafter import ReplyDrafter

    return MentionProcessor(triager, ReplyDrafter(settings))

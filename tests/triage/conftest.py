from __future__ import annotations

import pytest

from bot.config import Settings, load_settings
from bot.processing import MentionProcessor
from bot.triage.corpus import load_corpus
from bot.triage.features import Featuriser
from bot.triage.pipeline import Triager
from bot.triage.training import corpus_words


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


@pytest.fixture(scope="session")
def featuriser() -> Featuriser:
    """The rules and normaliser with the corpus's words, as the trained model has them
    (with none, the spelling corrector would turn "tank" into "thank"); no model needed."""
    return Featuriser(corpus_words(load_corpus()))

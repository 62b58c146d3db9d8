"""Fixtures for the service tests: the intent model, built once for the whole test session.

Subprocesses (``python -m bot serve`` / ``ingest``) inherit $SOCIALBOT_CACHE_DIR from
tests/conftest.py, so once this fixture has built the model they only load it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # serve_process, service_support

from bot.config import load_settings
from bot.processing import MentionProcessor


@pytest.fixture(scope="session")
def processor() -> MentionProcessor:
    return MentionProcessor.load(load_settings())

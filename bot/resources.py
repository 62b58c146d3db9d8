"""Where the shipped data lives: the intent corpus, rules and lexicons, and the templates.

Both are packages of their own (``intents`` and ``reply_templates``) so that an installed
socialbot finds them from any directory, in a wheel or an editable install alike.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def intents_dir() -> Traversable:
    return resources.files("intents")


def templates_dir() -> Traversable:
    return resources.files("reply_templates")


def cache_dir() -> Path:
    """Built models go here; never committed. ``$SOCIALBOT_CACHE_DIR`` overrides it."""
    explicit = os.environ.get("SOCIALBOT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialbot"

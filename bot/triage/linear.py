"""What the two logistic-regression intent classifiers share (ngrams.py, embedding.py).

Both are fitted by scikit-learn and then kept as plain numpy arrays: the weights are read
out of the fitted model in one shape, probabilities are a softmax in numpy, and the arrays
are saved without pickle, atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.domain import Intent

Matrix = NDArray[np.float64]


def fit(
    x: Any, intents: Sequence[Intent], c: float, max_iter: int, seed: int
) -> tuple[list[Intent], Matrix, Matrix]:
    """A multinomial L2 logistic regression on the rows of ``x`` (dense or sparse):
    (classes, coefficients with one row per class, intercepts)."""
    from sklearn.linear_model import LogisticRegression

    y = np.array([intent.value for intent in intents])
    fitted = LogisticRegression(C=c, max_iter=max_iter, random_state=seed).fit(x, y)
    classes = [Intent(str(label)) for label in fitted.classes_]
    coef = np.asarray(fitted.coef_, dtype=np.float64)
    intercept = np.asarray(fitted.intercept_, dtype=np.float64)
    if len(classes) == 2:
        # scikit-learn keeps one row for two classes: p(second) = sigmoid(x·w + b), which is
        # the softmax of the logits (0, x·w + b).
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    return classes, coef, intercept


def softmax(logits: Matrix) -> Matrix:
    """Each row made a probability distribution."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: Matrix = exp / exp.sum(axis=1, keepdims=True)
    return result


def save_arrays(path: Path, compressed: bool = False, **arrays: Any) -> None:
    """Numpy arrays only, written atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".building-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if compressed:
                np.savez_compressed(stream, **arrays)
            else:
                np.savez(stream, **arrays)
        os.replace(staging, path)
    finally:
        Path(staging).unlink(missing_ok=True)

"""Multinomial naive Bayes on the n-gram classifier's word n-grams: the intent model's third
voice.

The logistic regression (ngrams.py) and the spaCy bag-of-words model weigh every word
against every other; naive Bayes counts each word for each intent on its own, so it keeps
the evidence of words that occur in a few lines only, where a regularised regression
spreads it thin. The two make different mistakes, which is what an average needs: on
cross-validation the three averaged beat the two on every fold (intents/HISTORY.md).

scikit-learn fits it; what is kept is two arrays, and predicting is a sparse product and
a softmax, as for the regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.domain import Intent
from bot.errors import ModelError
from bot.triage import linear

#: Additive smoothing: 0.003, 0.01 and 0.03 scored alike on cross-validation, 0.1 lower and
#: 1.0 lower than no naive Bayes at all (intents/HISTORY.md). It must be small beside the
#: counts it smooths, and TF-IDF rows of unit length make each count a fraction.
ALPHA = 0.03

Matrix = NDArray[np.float64]


class WordBayes:
    def __init__(self, log_prior: Matrix, log_likelihood: Matrix) -> None:
        """``log_prior``: one per class; ``log_likelihood``: one row per class, one column
        per word n-gram; both in the classes' order of the classifier that owns them."""
        if log_likelihood.ndim != 2 or log_prior.shape != (log_likelihood.shape[0],):
            raise ModelError(
                f"naive Bayes: {log_prior.shape} priors for likelihoods of shape "
                f"{log_likelihood.shape}"
            )
        self.log_prior = log_prior
        # Saved in single precision, so rounded to it here (a trained and a loaded model give
        # the same probabilities); one column per class and contiguous, as in ngrams.py.
        self._weights = np.ascontiguousarray(
            log_likelihood.astype(np.float32).T, dtype=np.float64
        )

    @property
    def log_likelihood(self) -> Matrix:
        result: Matrix = self._weights.T
        return result

    @classmethod
    def fit(cls, x: Any, intents: Sequence[Intent], classes: Sequence[Intent]) -> WordBayes:
        """On the rows of ``x`` (sparse, non-negative), rows of the result in ``classes``'
        order."""
        from sklearn.naive_bayes import MultinomialNB

        y = np.array([intent.value for intent in intents])
        fitted = MultinomialNB(alpha=ALPHA).fit(x, y)
        order = [list(fitted.classes_).index(intent.value) for intent in classes]
        return cls(
            np.asarray(fitted.class_log_prior_, dtype=np.float64)[order],
            np.asarray(fitted.feature_log_prob_, dtype=np.float64)[order],
        )

    def probabilities(self, x: Any) -> Matrix:
        """One row per row of ``x``; each row sums to 1."""
        if x.shape[1] != self._weights.shape[0]:
            raise ModelError(
                f"naive Bayes: {self._weights.shape[0]} word n-grams, rows of {x.shape[1]}"
            )
        return linear.softmax(np.asarray(x @ self._weights) + self.log_prior)

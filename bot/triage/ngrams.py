"""The n-gram intent classifier: logistic regression on TF-IDF character and word n-grams.

It reads the same normalised words and rule-feature tokens as the spaCy bag-of-words
classifier, but as character n-grams of each word (2-5 letters, within the word) beside word
unigrams and bigrams, TF-IDF weighted. Character n-grams tie "complained", "complaint" and
"complainin" together and survive typos the normaliser leaves; the L2-regularised
regression copes with many more features than examples. With ``with_bayes`` it also fits
naive Bayes (bayes.py) on the same word n-grams. ``IntentModel.scores`` averages them with
the bag-of-words model. On cross-validation it beat the bag-of-words model on every
fold, and on the blind held-out sets by about 0.03 macro-F1 (intents/HISTORY.md).

The features are computed here rather than with scikit-learn's vectorisers so that what is
saved is plain arrays (no pickle); scikit-learn fits the regression, and predicting is a
sparse product and a softmax.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from bot.domain import Intent
from bot.errors import ModelError
from bot.triage import linear
from bot.triage.bayes import WordBayes
from bot.triage.features import EMPTY_TOKEN, FEATURE_PREFIX
from bot.triage.normalise import SPECIAL_TOKENS

#: Character n-gram lengths, taken within each word padded with a space either side.
CHAR_SIZES = range(2, 6)
#: A character n-gram seen in fewer training texts than this is noise (and bulk).
CHAR_MIN_DF = 2
#: L2 strength (scikit-learn's C: larger is weaker): the best of 3, 10 and 30 on
#: cross-validation (seed 1; intents/HISTORY.md). Each block of a TF-IDF row has unit length.
L2_C = 30.0
MAX_ITER = 3000
#: How many words' character n-gram columns are remembered (a bound on memory).
WORDS_REMEMBERED = 50_000
#: The file inside a model folder.
FILE_NAME = "ngram-lr.npz"

Matrix = NDArray[np.float64]


def char_ngrams(words: Iterable[str]) -> Iterable[str]:
    for word in words:
        if not _spelt(word):
            continue
        padded = f" {word} "
        for size in CHAR_SIZES:
            if size > len(padded):
                break
            for start in range(len(padded) - size + 1):
                yield padded[start : start + size]


def _spelt(word: str) -> bool:
    """Whether a word's letters mean anything: a rule feature ("xr_spam_url") or a stand-in
    ("xurl") is one signal, which its many character n-grams would count many times over.
    The word n-grams read them whole."""
    return not (
        word.startswith(FEATURE_PREFIX) or word in SPECIAL_TOKENS or word == EMPTY_TOKEN
    )


def word_ngrams(words: Sequence[str]) -> Iterable[str]:
    yield from words
    for first, second in pairwise(words):
        yield f"{first} {second}"


class _Block:
    """One kind of n-gram: its vocabulary and inverse document frequencies."""

    def __init__(self, vocabulary: Sequence[str], idf: Matrix) -> None:
        if len(vocabulary) != len(idf):
            raise ModelError(f"n-gram classifier: {len(vocabulary)} n-grams, {len(idf)} weights")
        self.index = {gram: i for i, gram in enumerate(vocabulary)}
        self.idf = idf
        self._words_seen: dict[str, tuple[int, ...]] = {}

    @property
    def vocabulary(self) -> list[str]:
        """The n-grams in column order (only saving needs them as a list)."""
        return list(self.index)

    def __len__(self) -> int:
        return len(self.index)

    @classmethod
    def fit(cls, documents: Sequence[Sequence[str]], min_df: int) -> _Block:
        df: Counter[str] = Counter()
        for grams in documents:
            df.update(set(grams))
        vocabulary = sorted(gram for gram, n in df.items() if n >= min_df)
        counts = np.array([df[gram] for gram in vocabulary], dtype=np.float64)
        # scikit-learn's smoothed idf, as if every n-gram were seen in one more document.
        idf = np.log((1 + len(documents)) / (1 + counts)) + 1
        return cls(vocabulary, idf)

    def columns_of_word(self, word: str) -> tuple[int, ...]:
        """The columns of a word's character n-grams, remembered: the same words come back
        in mention after mention, and cutting them up is most of the work."""
        known = self._words_seen.get(word)
        if known is None:
            known = tuple(i for i in map(self.index.get, char_ngrams([word])) if i is not None)
            if len(self._words_seen) < WORDS_REMEMBERED:
                self._words_seen[word] = known
        return known


class NgramClassifier:
    def __init__(
        self,
        classes: Sequence[Intent],
        chars: _Block,
        words: _Block,
        coef: Matrix,
        intercept: Matrix,
        bayes: WordBayes | None = None,
    ) -> None:
        features = len(chars) + len(words)
        if coef.shape != (len(classes), features) or intercept.shape != (len(classes),):
            raise ModelError(
                f"n-gram classifier: {len(classes)} classes and {features} n-grams but "
                f"coefficients of shape {coef.shape} and intercepts of shape {intercept.shape}"
            )
        self.classes = tuple(classes)
        self._chars = chars
        self._words = words
        self._idf = _column_idf(chars, words)
        # Saved in single precision, so rounded to it here: a trained and a loaded classifier
        # give the same probabilities. Kept as one column per class, in double precision and
        # contiguous, because the sparse product would otherwise copy all of it (12 MB) on
        # every call: a storm's batches made the service 50 MB larger.
        self._weights = np.ascontiguousarray(coef.astype(np.float32).T, dtype=np.float64)
        self._intercept = intercept
        if bayes is not None and bayes.log_likelihood.shape != (len(classes), len(words)):
            raise ModelError(
                f"n-gram classifier: naive Bayes of shape {bayes.log_likelihood.shape} for "
                f"{len(classes)} classes and {len(words)} word n-grams"
            )
        #: Naive Bayes on the word n-grams (bayes.py), when the model averages it in.
        self.bayes = bayes

    @classmethod
    def train(
        cls,
        documents: Sequence[Sequence[str]],
        intents: Sequence[Intent],
        seed: int,
        with_bayes: bool = False,
    ) -> NgramClassifier:
        """``documents``: each training text as the words the model reads. ``with_bayes``
        fits naive Bayes on the same word n-grams too."""
        chars = _Block.fit([list(char_ngrams(d)) for d in documents], CHAR_MIN_DF)
        words = _Block.fit([list(word_ngrams(d)) for d in documents], 1)
        x = _features(chars, words, _column_idf(chars, words), documents)
        classes, coef, intercept = linear.fit(x, intents, L2_C, MAX_ITER, seed)
        bayes = WordBayes.fit(x[:, len(chars) :], intents, classes) if with_bayes else None
        return cls(classes, chars, words, coef, intercept, bayes)

    def probabilities(self, documents: Sequence[Sequence[str]]) -> Matrix:
        """The regression's: one row per document, one column per ``self.classes``; each
        row sums to 1."""
        return self._regression(self._matrix(documents))

    def predict(self, documents: Sequence[Sequence[str]]) -> tuple[Matrix, Matrix | None]:
        """The regression's probabilities and naive Bayes's (None without it), each with one
        row per document and one column per ``self.classes``, from one pass over the words."""
        x = self._matrix(documents)
        bayes = self.bayes.probabilities(x[:, len(self._chars) :]) if self.bayes else None
        return self._regression(x), bayes

    def _matrix(self, documents: Sequence[Sequence[str]]) -> csr_matrix:
        return _features(self._chars, self._words, self._idf, documents)

    def _regression(self, x: csr_matrix) -> Matrix:
        return linear.softmax(np.asarray(x @ self._weights + self._intercept))

    def save(self, path: Path) -> None:
        bayes = (
            {
                "bayes_log_prior": self.bayes.log_prior,
                "bayes_log_likelihood": self.bayes.log_likelihood.astype(np.float32),
            }
            if self.bayes is not None
            else {}
        )
        linear.save_arrays(
            path,
            compressed=True,
            classes=np.array([intent.value for intent in self.classes]),
            char_vocabulary=np.array(self._chars.vocabulary),
            char_idf=self._chars.idf,
            word_vocabulary=np.array(self._words.vocabulary),
            word_idf=self._words.idf,
            coef=self._weights.T.astype(np.float32),
            intercept=self._intercept,
            **bayes,
        )

    @classmethod
    def load(cls, path: Path) -> NgramClassifier:
        try:
            with np.load(path, allow_pickle=False) as data:
                classes = [Intent(str(label)) for label in data["classes"]]
                chars = _Block([str(g) for g in data["char_vocabulary"]], data["char_idf"])
                words = _Block([str(g) for g in data["word_vocabulary"]], data["word_idf"])
                coef = np.asarray(data["coef"])
                intercept = np.asarray(data["intercept"], dtype=np.float64)
                bayes = (
                    WordBayes(
                        np.asarray(data["bayes_log_prior"], dtype=np.float64),
                        np.asarray(data["bayes_log_likelihood"]),
                    )
                    if "bayes_log_prior" in data
                    else None
                )
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot load the n-gram classifier from {path}: {exc}") from exc
        return cls(classes, chars, words, coef, intercept, bayes)


def _column_idf(chars: _Block, words: _Block) -> Matrix:
    """Every column's inverse document frequency: the characters' columns, then the words'."""
    return np.concatenate([chars.idf, words.idf])


def _features(
    chars: _Block, words: _Block, idf: Matrix, documents: Sequence[Sequence[str]]
) -> csr_matrix:
    """One row per document: its character n-grams, then its word n-grams, each part
    weighted by sublinear TF × IDF and scaled to unit length (scikit-learn's TF-IDF)."""
    offset = len(chars)
    columns: list[int] = []
    counts: list[int] = []
    # Each document has two parts (characters, words); each part is scaled on its own.
    part_lengths: list[int] = []
    for document in documents:
        char_counts = Counter(chain.from_iterable(map(chars.columns_of_word, document)))
        word_grams = map(words.index.get, word_ngrams(document))
        word_counts = Counter([i for i in word_grams if i is not None])
        columns += char_counts.keys()
        columns += (i + offset for i in word_counts)
        counts += char_counts.values()
        counts += word_counts.values()
        part_lengths += [len(char_counts), len(word_counts)]
    column_array = np.array(columns, dtype=np.int64)
    weights = (1 + np.log(np.array(counts, dtype=np.float64))) * idf[column_array]
    part_of = np.repeat(np.arange(len(part_lengths)), part_lengths)
    norms = np.sqrt(np.bincount(part_of, weights=weights * weights, minlength=len(part_lengths)))
    if len(weights):
        weights /= norms[part_of]
    row_lengths = np.array(part_lengths, dtype=np.int64).reshape(-1, 2).sum(axis=1)
    pointers = np.concatenate([[0], np.cumsum(row_lengths)]).astype(np.int64)
    return csr_matrix(
        (weights, column_array, pointers), shape=(len(documents), offset + len(words))
    )

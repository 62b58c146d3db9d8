"""The trained intent classifier: words in, a probability for every intent out.

The spaCy text classifier of intents/config.cfg (bag-of-words; a cross-validation variant
averages it with a CNN), averaged with the n-gram classifier (ngrams.py) and its naive
Bayes (bayes.py) by the weights config.cfg gives them; with the ``embeddings`` extra in
use, that average is averaged again with the sentence-embedding classifier's probabilities
(embedding.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from bot.domain import Intent
from bot.errors import ModelError
from bot.triage import embedding
from bot.triage.embedding import SentenceClassifier
from bot.triage.evidence import Evidence
from bot.triage.features import Analysis, Featuriser
from bot.triage.ngrams import FILE_NAME as NGRAM_FILE
from bot.triage.ngrams import NgramClassifier
from bot.triage.training import (
    Progress,
    add_sentence_classifier,
    build_model,
    is_built,
    load_pipeline,
    model_path,
    text_classifiers,
)

log = logging.getLogger(__name__)

Scores = dict[Intent, float]


def fully_borne_out(_: Intent) -> float:
    """Evidence for scores that come without a corpus to weigh the words against (a test's
    hand-written table): every intent counts as borne out, so decide never falls back to
    `other` for want of evidence."""
    return 1.0


@dataclass(frozen=True)
class Assessment:
    """What the model says of one mention: all that decide needs besides the rules."""

    #: Every intent's probability, the classifiers averaged.
    scores: Scores
    #: The n-gram classifier's own probability of an emergency (0 without it). When it alone
    #: is sure, the emergency should not be lost in an average with a hesitant bag-of-words
    #: model (see decide.NGRAM_SURE_EMERGENCY).
    ngram_emergency: float = 0.0
    #: How strongly the mention's own words point to each intent in the corpus
    #: (evidence.py).
    evidence: Callable[[Intent], float] = fully_borne_out


#: What the text classifiers of intents/config.cfg are, for the start-up log.
_KINDS = {"textcat": "bag-of-words", "textcat_cnn": "CNN"}


class IntentModel:
    def __init__(
        self,
        nlp: Language,
        featuriser: Featuriser,
        use_rule_features: bool,
        sentences: SentenceClassifier | None = None,
        ngrams: NgramClassifier | None = None,
        ngram_weight: float = 0.0,
        bayes_weight: float = 0.0,
    ) -> None:
        self._nlp = nlp
        self._textcats = list(text_classifiers(nlp).values())
        self.featuriser = featuriser
        self._use_rule_features = use_rule_features
        self._labels = [Intent(label) for label in self._textcats[0].labels]
        if any(list(t.labels) != list(self._textcats[0].labels) for t in self._textcats):
            raise ModelError("the text classifiers of the intent model know different intents")
        self.evidence = Evidence(nlp.meta.get("socialbot_evidence", {}))
        self.sentences = sentences
        self._sentence_columns = self._columns_of(
            sentences.classes if sentences else None, "sentence classifier"
        )
        self.ngrams = ngrams if ngram_weight > 0 else None
        self._ngram_weight = ngram_weight
        self._bayes_weight = bayes_weight if self.ngrams and self.ngrams.bayes else 0.0
        if self.ngrams and self._ngram_weight + self._bayes_weight > 1:
            raise ModelError(
                f"the n-gram classifier's share {ngram_weight} and naive Bayes's "
                f"{bayes_weight} leave the spaCy classifiers less than nothing"
            )
        self._ngram_columns = self._columns_of(
            ngrams.classes if ngrams else None, "n-gram classifier"
        )

    def _columns_of(self, classes: Sequence[Intent] | None, what: str) -> list[int]:
        """Where each of the spaCy classifiers' intents sits among another classifier's
        ``classes`` (none without it); a ``ModelError`` when they know different intents."""
        if classes is None:
            return []
        if set(classes) != set(self._labels):
            raise ModelError(f"the {what} and the spaCy classifiers know different intents")
        return [list(classes).index(label) for label in self._labels]

    @property
    def description(self) -> str:
        spacy_part = "spaCy " + " + ".join(
            _KINDS.get(name, name) for name in self._nlp.pipe_names
        )
        if self.ngrams is not None:
            share = round(100 * self._ngram_weight)
            if self._bayes_weight:
                bayes = round(100 * self._bayes_weight)
                spacy_part += (
                    " + character/word n-grams + naive Bayes on word n-grams (averaged "
                    f"{100 - share - bayes}/{share}/{bayes})"
                )
            else:
                spacy_part += f" + character/word n-grams (averaged {100 - share}/{share})"
        if self.sentences is None:
            return spacy_part
        share = round(100 * embedding.WEIGHT)
        return (
            f"{spacy_part} + all-MiniLM-L6-v2 sentence embeddings "
            f"(probabilities averaged {100 - share}/{share})"
        )

    @classmethod
    def from_pipeline(
        cls,
        nlp: Language,
        featuriser: Featuriser,
        use_rule_features: bool = True,
        sentences: SentenceClassifier | None = None,
        ngrams: NgramClassifier | None = None,
        ngram_weight: float = 0.0,
        bayes_weight: float = 0.0,
    ) -> IntentModel:
        return cls(
            nlp, featuriser, use_rule_features, sentences, ngrams, ngram_weight, bayes_weight
        )

    def with_sentences(self, sentences: SentenceClassifier) -> IntentModel:
        """The same classifiers, averaged with ``sentences``."""
        return IntentModel(
            self._nlp,
            self.featuriser,
            self._use_rule_features,
            sentences,
            self.ngrams,
            self._ngram_weight,
            self._bayes_weight,
        )

    @classmethod
    def load(cls, path: Path, sentence_embeddings: bool = False) -> IntentModel:
        nlp, meta = load_pipeline(path)
        nlp.meta["socialbot_evidence"] = meta.get("evidence", {})
        featuriser = Featuriser(meta["known_words"], nlp)
        ngram_weight = float(meta.get("ngram_weight", 0.0))
        bayes_weight = float(meta.get("bayes_weight", 0.0))
        ngrams = NgramClassifier.load(path / NGRAM_FILE) if ngram_weight > 0 else None
        sentences = (
            SentenceClassifier.load(embedding.classifier_path(path), embedding.load_encoder())
            if sentence_embeddings
            else None
        )
        use_rule_features = bool(meta.get("use_rule_features", True))
        return cls(
            nlp, featuriser, use_rule_features, sentences, ngrams, ngram_weight, bayes_weight
        )

    @classmethod
    def load_or_build(
        cls, progress: Progress | None = None, sentence_embeddings: bool = False
    ) -> IntentModel:
        """The cached model, built first when the corpus, rules, config or code changed.
        ``sentence_embeddings`` (see ``embedding.use_sentence_embeddings``) adds the
        sentence-embedding classifier, built into the same folder when it is not there."""
        path = model_path()
        if not is_built(path):
            build_model(progress, path, sentence_embeddings)
        elif sentence_embeddings and not embedding.is_built(path):
            add_sentence_classifier(path)
        model = cls.load(path, sentence_embeddings)
        log.info("intent model: %s; from %s", model.description, path)
        return model

    def scores(self, analyses: Sequence[Analysis]) -> list[Scores]:
        return [assessment.scores for assessment in self.assess(analyses)]

    def assess(self, analyses: Sequence[Analysis]) -> list[Assessment]:
        if not analyses:
            return []
        words = [self.featuriser.model_words(a, self._use_rule_features) for a in analyses]
        docs = [Doc(self.featuriser.nlp.vocab, words=w) for w in words]
        # The shipped config.cfg has one spaCy classifier; `eval --cv` variants may have more.
        rows = numpy.mean([numpy.asarray(t.model.predict(docs)) for t in self._textcats], axis=0)
        ngram_emergency = numpy.zeros(len(analyses))
        if self.ngrams is not None:
            regression, bayes = self.ngrams.predict(words)
            ngram_rows = regression[:, self._ngram_columns]
            spacy_share = 1 - self._ngram_weight - self._bayes_weight
            rows = spacy_share * rows + self._ngram_weight * ngram_rows
            if bayes is not None and self._bayes_weight:
                rows += self._bayes_weight * bayes[:, self._ngram_columns]
            ngram_emergency = ngram_rows[:, self._labels.index(Intent.EMERGENCY)]
        if self.sentences is not None:
            sentence_rows = self.sentences.probabilities([a.text for a in analyses])
            rows = (1 - embedding.WEIGHT) * rows + embedding.WEIGHT * sentence_rows[
                :, self._sentence_columns
            ]
        return [
            self.assessment(
                analysis,
                {label: float(value) for label, value in zip(self._labels, row, strict=True)},
                float(alarm),
            )
            for analysis, row, alarm in zip(analyses, rows, ngram_emergency, strict=True)
        ]

    def assessment(
        self, analysis: Analysis, scores: Scores, ngram_emergency: float = 0.0
    ) -> Assessment:
        """What decide needs of one mention: its scores, from this model or averaged with
        another outside it (the embedding benches), and the corpus's evidence for its words."""
        return Assessment(
            scores, ngram_emergency, partial(self.evidence.strength, analysis.words)
        )

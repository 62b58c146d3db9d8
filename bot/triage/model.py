"""The trained intent classifier: words in, a probability for every intent out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from bot.domain import Intent
from bot.triage.evidence import Evidence
from bot.triage.features import Analysis, Featuriser
from bot.triage.training import (
    Progress,
    build_model,
    is_built,
    load_pipeline,
    model_path,
    text_classifier,
)

Scores = dict[Intent, float]


class IntentModel:
    def __init__(self, nlp: Language, featuriser: Featuriser, use_rule_features: bool) -> None:
        self._nlp = nlp
        self._textcat = text_classifier(nlp)
        self.featuriser = featuriser
        self._use_rule_features = use_rule_features
        self._labels = [Intent(label) for label in self._textcat.labels]
        self.evidence = Evidence(nlp.meta.get("socialbot_evidence", {}))

    @classmethod
    def from_pipeline(
        cls, nlp: Language, featuriser: Featuriser, use_rule_features: bool = True
    ) -> IntentModel:
        return cls(nlp, featuriser, use_rule_features)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        nlp, meta = load_pipeline(path)
        nlp.meta["socialbot_evidence"] = meta.get("evidence", {})
        featuriser = Featuriser(meta["known_words"], nlp)
        return cls(nlp, featuriser, bool(meta.get("use_rule_features", True)))

    @classmethod
    def load_or_build(cls, progress: Progress | None = None) -> IntentModel:
        path = model_path()
        if not is_built(path):
            build_model(progress, path)
        return cls.load(path)

    def scores(self, analyses: Sequence[Analysis]) -> list[Scores]:
        if not analyses:
            return []
        docs: list[Doc] = [
            self.featuriser.model_doc(a, self._use_rule_features) for a in analyses
        ]
        rows = numpy.asarray(self._textcat.model.predict(docs))
        return [
            {label: float(value) for label, value in zip(self._labels, row, strict=True)}
            for row in rows
        ]

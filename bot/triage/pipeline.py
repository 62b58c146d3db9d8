"""The triage pipeline: rules first, then the intent model, then the flags (and a draft)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from bot.config import Settings
from bot.domain import Mention, Triage
from bot.triage.decide import Calibration, decide
from bot.triage.embedding import use_sentence_embeddings
from bot.triage.flags import FlagRules
from bot.triage.model import IntentModel
from bot.triage.training import Progress

BATCH_SIZE = 256


class Triager:
    def __init__(
        self, settings: Settings, model: IntentModel, calibration: Calibration | None = None
    ) -> None:
        self.model = model
        self.calibration = calibration or Calibration.load()
        self._featuriser = model.featuriser
        self._flags = FlagRules(settings, model.featuriser.analyse)

    @classmethod
    def load(cls, settings: Settings, progress: Progress | None = None) -> Triager:
        """Builds the model first if needed; ``triage.sentence_embeddings`` says whether the
        sentence-embedding classifier is used (a ``ConfigError`` when it cannot be)."""
        sentence_embeddings = use_sentence_embeddings(settings.triage.sentence_embeddings)
        return cls(settings, IntentModel.load_or_build(progress, sentence_embeddings))

    def triage(self, mention: Mention) -> Triage:
        return self.triage_batch([mention])[0]

    def triage_batch(self, mentions: Sequence[Mention]) -> list[Triage]:
        analyses = [self._featuriser.analyse(m.text) for m in mentions]
        results = []
        for mention, analysis, assessment in zip(
            mentions, analyses, self.model.assess(analyses), strict=True
        ):
            author_is_press = self._flags.is_press_author(mention)
            intent, confidence = decide(
                analysis,
                assessment,
                self.calibration,
                author_is_press,
                read_only_platform=not mention.platform.answerable,
            )
            flags = self._flags.flags(mention, intent, analysis, assessment.scores)
            results.append(Triage(intent, round(confidence, 4), flags))
        return results

    def triage_all(self, mentions: Iterable[Mention]) -> Iterator[tuple[Mention, Triage]]:
        """Streams in batches, so that the model scores many texts per call."""
        it = iter(mentions)
        while batch := list(islice(it, BATCH_SIZE)):
            yield from zip(batch, self.triage_batch(batch), strict=True)

from __future__ import annotations

from builders import few_per_intent

from bot.domain import Intent
from bot.triage.corpus import load_corpus
from bot.triage.features import Featuriser
from bot.triage.model import IntentModel
from bot.triage.training import corpus_words, load_config, text_classifiers, train_pipeline


def test_training_is_reproducible_with_a_fixed_seed() -> None:
    examples = few_per_intent(12)
    config = load_config({"train.epochs": 3})
    texts = ["my boiler is broken", "what time do you open", "you absolute idiots"]
    runs = []
    for _ in range(2):
        featuriser = Featuriser(corpus_words(examples))
        model = IntentModel.from_pipeline(train_pipeline(examples, config, featuriser), featuriser)
        runs.append(model.scores([featuriser.analyse(t) for t in texts]))
    assert runs[0] == runs[1]


def test_every_intent_has_enough_examples() -> None:
    counts: dict[Intent, int] = {}
    for example in load_corpus():
        counts[example.intent] = counts.get(example.intent, 0) + 1
    assert set(counts) == set(Intent)
    assert min(n for i, n in counts.items() if i is not Intent.OTHER) >= 120
    assert counts[Intent.OTHER] >= 250


def test_the_bow_and_cnn_variant_averages_both_classifiers() -> None:
    examples = few_per_intent(12)
    config = load_config({"nlp.pipeline": ["textcat", "textcat_cnn"], "train.epochs": 2})
    featuriser = Featuriser(corpus_words(examples))
    nlp = train_pipeline(examples, config, featuriser)
    model = IntentModel.from_pipeline(nlp, featuriser)
    assert model.description == "spaCy bag-of-words + CNN"
    analysis = featuriser.analyse("my boiler is broken")
    doc = featuriser.model_doc(analysis, True)
    bow, cnn = (t.model.predict([doc])[0] for t in text_classifiers(nlp).values())
    averaged = model.scores([analysis])[0]
    labels = list(text_classifiers(nlp)["textcat"].labels)
    for i, label in enumerate(labels):
        assert abs(averaged[Intent(label)] - (bow[i] + cnn[i]) / 2) < 1e-6

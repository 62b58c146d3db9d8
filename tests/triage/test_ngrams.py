"""The n-gram intent classifier (bot/triage/ngrams.py) and its place in the intent model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import few_per_intent
from spacy.language import Language

from bot.domain import Intent
from bot.errors import ModelError
from bot.triage.bayes import WordBayes
from bot.triage.features import Featuriser
from bot.triage.model import IntentModel
from bot.triage.ngrams import NgramClassifier, char_ngrams, word_ngrams
from bot.triage.pipeline import Triager
from bot.triage.training import (
    corpus_words,
    load_config,
    text_classifiers,
    train_ngram_classifier,
    train_pipeline,
)


@pytest.fixture(scope="module")
def trained() -> tuple[NgramClassifier, Featuriser]:
    examples = few_per_intent(15)
    featuriser = Featuriser(corpus_words(examples))
    classifier = train_ngram_classifier(examples, load_config(), featuriser)
    assert classifier is not None
    return classifier, featuriser


@pytest.fixture(scope="module")
def bag_of_words(trained: tuple[NgramClassifier, Featuriser]) -> Language:
    """A spaCy pipeline trained briefly on the same examples, to average with."""
    _, featuriser = trained
    return train_pipeline(few_per_intent(15), load_config({"train.epochs": 2}), featuriser)


def test_words_are_read_as_character_ngrams_within_the_word() -> None:
    grams = list(char_ngrams(["gas"]))
    assert grams[:4] == [" g", "ga", "as", "s "]
    assert " gas " in grams
    assert all(len(g) <= 5 for g in grams)


def test_rule_features_and_stand_ins_are_one_signal_not_many() -> None:
    """A URL is "xurl" plus the feature "xr_spam_url": as letters they would outvote the
    words of any tweet that carries a link."""
    assert list(char_ngrams(["xr_spam_url", "xurl", "xhandle", "xempty"])) == []
    assert list(word_ngrams(["xurl", "xr_spam_url"])) == ["xurl", "xr_spam_url", "xurl xr_spam_url"]


def test_word_ngrams_are_the_words_and_their_pairs() -> None:
    assert list(word_ngrams(["no", "hot", "water"])) == [
        "no",
        "hot",
        "water",
        "no hot",
        "hot water",
    ]


def test_probabilities_are_a_distribution_over_every_intent(
    trained: tuple[NgramClassifier, Featuriser],
) -> None:
    classifier, featuriser = trained
    assert set(classifier.classes) == set(Intent)
    documents = [
        featuriser.model_words(featuriser.analyse(text))
        for text in ("I can smell gas in the kitchen", "", "🙂", "x" * 5000)
    ]
    rows = classifier.probabilities(documents)
    assert rows.shape == (4, len(Intent))
    assert np.allclose(rows.sum(axis=1), 1.0)


def test_a_misspelt_word_still_counts_through_its_letters(
    trained: tuple[NgramClassifier, Featuriser],
) -> None:
    classifier, _ = trained
    column = classifier.classes.index(Intent.COMPLAINT)
    unseen = ["i", "want", "to", "complainn", "formaly"]
    unrelated = ["i", "want", "to", "qqqq", "zzzz"]
    rows = classifier.probabilities([unseen, unrelated])
    assert rows[0, column] > rows[1, column]


def test_a_saved_classifier_predicts_the_same_after_loading(
    trained: tuple[NgramClassifier, Featuriser], tmp_path: Path
) -> None:
    classifier, featuriser = trained
    documents = [featuriser.model_words(featuriser.analyse(t)) for t in ("rent?", "boiler bust")]
    path = tmp_path / "ngram-lr.npz"
    classifier.save(path)
    loaded = NgramClassifier.load(path)
    assert loaded.classes == classifier.classes
    assert np.array_equal(loaded.probabilities(documents), classifier.probabilities(documents))
    (_, bayes), (_, loaded_bayes) = classifier.predict(documents), loaded.predict(documents)
    assert bayes is not None and loaded_bayes is not None
    assert np.array_equal(loaded_bayes, bayes)
    assert not list(tmp_path.glob(".building-*"))


def test_a_broken_file_is_a_model_error(tmp_path: Path) -> None:
    path = tmp_path / "ngram-lr.npz"
    path.write_bytes(b"not a numpy archive")
    with pytest.raises(ModelError, match="n-gram classifier"):
        NgramClassifier.load(path)


def test_no_weight_trains_no_ngram_classifier() -> None:
    examples = few_per_intent(3)
    featuriser = Featuriser(corpus_words(examples))
    config = load_config({"train.ngram_weight": 0})
    assert train_ngram_classifier(examples, config, featuriser) is None


def test_the_model_averages_bag_of_words_and_ngrams_by_the_weight(
    trained: tuple[NgramClassifier, Featuriser], bag_of_words: Language
) -> None:
    classifier, featuriser = trained
    nlp = bag_of_words
    model = IntentModel.from_pipeline(nlp, featuriser, ngrams=classifier, ngram_weight=0.25)
    analysis = featuriser.analyse("my boiler is broken again")
    words = featuriser.model_words(analysis)
    bow = text_classifiers(nlp)["textcat"].model.predict([featuriser.model_doc(analysis)])[0]
    ngram = classifier.probabilities([words])[0]
    averaged = model.scores([analysis])[0]
    labels = list(text_classifiers(nlp)["textcat"].labels)
    for i, label in enumerate(labels):
        expected = 0.75 * bow[i] + 0.25 * ngram[classifier.classes.index(Intent(label))]
        assert averaged[Intent(label)] == pytest.approx(expected, abs=1e-6)
    # The n-gram classifier's own emergency probability is kept beside the average.
    (assessment,) = model.assess([analysis])
    assert assessment.scores == averaged
    own = ngram[classifier.classes.index(Intent.EMERGENCY)]
    assert assessment.ngram_emergency == pytest.approx(own, abs=1e-9)


def test_naive_bayes_gives_a_distribution_over_every_intent_from_the_word_ngrams(
    trained: tuple[NgramClassifier, Featuriser],
) -> None:
    classifier, featuriser = trained
    documents = [
        featuriser.model_words(featuriser.analyse(text))
        for text in ("I can smell gas in the kitchen", "", "🙂", "x" * 5000)
    ]
    _, bayes = classifier.predict(documents)
    assert bayes is not None and bayes.shape == (4, len(Intent))
    assert np.allclose(bayes.sum(axis=1), 1.0)


def test_naive_bayes_keeps_a_word_seen_in_one_intent_only() -> None:
    """What it adds to the regression: a word met in a single training line still points
    to that line's intent."""
    documents = [["rent", "paid"], ["rent", "due"], ["boiler", "broken"], ["boiler", "leak"]]
    intents = [Intent.RENT_PAYMENT] * 2 + [Intent.REPAIR_REPORT] * 2
    classifier = NgramClassifier.train(documents, intents, seed=1, with_bayes=True)
    _, bayes = classifier.predict([["leak"], ["paid"]])
    assert bayes is not None
    repair = classifier.classes.index(Intent.REPAIR_REPORT)
    assert bayes[0, repair] > 0.9
    assert bayes[1, repair] < 0.1


def test_no_bayes_weight_fits_no_naive_bayes() -> None:
    examples = few_per_intent(3)
    featuriser = Featuriser(corpus_words(examples))
    classifier = train_ngram_classifier(
        examples, load_config({"train.bayes_weight": 0}), featuriser
    )
    assert classifier is not None and classifier.bayes is None
    assert classifier.predict([["rent"]])[1] is None


def test_the_model_averages_the_three_by_their_weights(
    trained: tuple[NgramClassifier, Featuriser], bag_of_words: Language
) -> None:
    classifier, featuriser = trained
    nlp = bag_of_words
    model = IntentModel.from_pipeline(
        nlp, featuriser, ngrams=classifier, ngram_weight=0.25, bayes_weight=0.35
    )
    assert "naive Bayes" in model.description and "40/25/35" in model.description
    analysis = featuriser.analyse("my boiler is broken again")
    words = featuriser.model_words(analysis)
    bow = text_classifiers(nlp)["textcat"].model.predict([featuriser.model_doc(analysis)])[0]
    regression, bayes = classifier.predict([words])
    assert bayes is not None
    averaged = model.scores([analysis])[0]
    for i, label in enumerate(text_classifiers(nlp)["textcat"].labels):
        column = classifier.classes.index(Intent(label))
        expected = 0.4 * bow[i] + 0.25 * regression[0, column] + 0.35 * bayes[0, column]
        assert averaged[Intent(label)] == pytest.approx(expected, abs=1e-6)


def test_shares_over_the_whole_are_a_model_error(
    trained: tuple[NgramClassifier, Featuriser], bag_of_words: Language
) -> None:
    classifier, featuriser = trained
    with pytest.raises(ModelError, match="less than nothing"):
        IntentModel.from_pipeline(
            bag_of_words, featuriser, ngrams=classifier, ngram_weight=0.7, bayes_weight=0.4
        )


def test_the_shipped_model_uses_the_ngram_classifier_and_naive_bayes(triager: Triager) -> None:
    assert triager.model.ngrams is not None
    assert triager.model.ngrams.bayes is not None
    assert "n-grams" in triager.model.description
    assert "naive Bayes" in triager.model.description


def test_naive_bayes_of_the_wrong_shape_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="naive Bayes"):
        WordBayes(np.zeros(3), np.zeros((2, 5)))

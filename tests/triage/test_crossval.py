"""Cross-validation: the folds, the per-intent report over all folds, and the command."""

from __future__ import annotations

import json

from builders import few_per_intent, run_cli

from bot.domain import Intent
from bot.triage.corpus import load_corpus
from bot.triage.crossval import FoldResult, folds, pooled
from bot.triage.evaluate import Case


def case(expected: Intent, predicted: Intent) -> Case:
    return Case("id", "text", expected, predicted, 0.9)


def test_folds_spread_every_intent_evenly_and_use_each_line_once() -> None:
    examples = few_per_intent(10)
    split = folds(examples, 5, seed=1)
    assert sorted(i for fold in split for i in fold) == list(range(len(examples)))
    for fold in split:
        per_intent = {examples[i].intent for i in fold}
        assert per_intent == {e.intent for e in examples}


def test_pooled_scores_all_folds_of_one_variant_together() -> None:
    results = [
        FoldResult("a", 1, 0, 1.0, 1.0, (case(Intent.SPAM, Intent.SPAM),)),
        FoldResult("a", 1, 1, 0.0, 0.0, (case(Intent.ABUSE, Intent.OTHER),)),
        FoldResult("b", 1, 0, 0.0, 0.0, (case(Intent.SPAM, Intent.OTHER),)),
    ]
    report = pooled(results, "a")
    assert len(report.cases) == 2
    assert report.per_intent[Intent.SPAM].f1 == 1.0
    assert report.per_intent[Intent.ABUSE].recall == 0.0
    assert report.confusion[(Intent.ABUSE, Intent.OTHER)] == 1
    assert (Intent.SPAM, Intent.OTHER) not in report.confusion


def test_eval_cv_reports_each_intent_and_the_worst_confusions() -> None:
    done = run_cli("eval", "--cv", "2", "--seeds", "1", "--variants", "bow-1gram+rules", "--json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["variant"] == "bow-1gram+rules" and row["runs"] == 2
    assert set(row["intents"]) == {i.value for i in Intent}
    # Every corpus line is tested once per seed.
    assert sum(s["support"] for s in row["intents"].values()) == len(load_corpus())
    assert row["confused"] and all(c["expected"] != c["predicted"] for c in row["confused"])
    assert 0.5 < row["macro_f1"] < 1.0

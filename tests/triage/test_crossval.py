"""Cross-validation: the folds, the per-intent report over all folds, and the command."""

from __future__ import annotations

import json

from builders import few_per_intent, run_cli

from bot.domain import Flag, Intent
from bot.triage.corpus import load_corpus
from bot.triage.crossval import FoldResult, folds, implied_safety_flags, pooled
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


def test_pooled_scores_the_safety_flags_against_those_the_intent_implies() -> None:
    urgent, comms = frozenset({Flag.URGENT}), frozenset({Flag.COMMS})
    cases = (
        Case("1", "gas", Intent.EMERGENCY, Intent.EMERGENCY, 0.9, urgent, urgent),
        Case("2", "sparks", Intent.EMERGENCY, Intent.REPAIR_REPORT, 0.9, urgent, frozenset()),
        Case("3", "quote?", Intent.PRESS_ENQUIRY, Intent.PRESS_ENQUIRY, 0.9, comms, comms),
        Case("4", "my policy", Intent.OTHER, Intent.OTHER, 0.9, frozenset(), comms),
    )
    report = pooled([FoldResult("a", 1, 0, 1.0, 1.0, cases)], "a")
    assert report.flags[Flag.URGENT].recall == 0.5
    assert report.flags[Flag.COMMS].recall == 1.0
    assert report.flags[Flag.COMMS].false_alarms == 1


def test_a_corpus_line_implies_the_safety_flags_of_its_intent() -> None:
    assert implied_safety_flags(Intent.EMERGENCY) == {Flag.URGENT}
    assert implied_safety_flags(Intent.POLICY_QUESTION) == {Flag.COMMS}
    assert implied_safety_flags(Intent.PRESS_ENQUIRY) == {Flag.COMMS}
    assert implied_safety_flags(Intent.COMPLAINT) == frozenset()


def test_eval_cv_reports_each_intent_and_the_worst_confusions() -> None:
    done = run_cli("eval", "--cv", "2", "--seeds", "1", "--variants", "bow-1gram+rules", "--json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["variant"] == "bow-1gram+rules" and row["runs"] == 2
    assert set(row["intents"]) == {i.value for i in Intent}
    # Every corpus line is tested once per seed.
    assert sum(s["support"] for s in row["intents"].values()) == len(load_corpus())
    assert row["confused"] and all(c["expected"] != c["predicted"] for c in row["confused"])
    # The safety flags are expected from each line's intent.
    counts = {i: s["support"] for i, s in row["intents"].items()}
    assert row["flags"]["urgent"]["support"] == counts["emergency"]
    assert row["flags"]["comms"]["support"] == counts["press_enquiry"] + counts["policy_question"]
    assert row["flags"]["urgent"]["recall"] > 0.8
    assert 0.5 < row["macro_f1"] < 1.0

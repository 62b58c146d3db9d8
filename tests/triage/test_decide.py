from __future__ import annotations

from collections.abc import Callable

import pytest
from builders import scores

from bot.domain import Intent
from bot.triage.decide import Calibration, decide
from bot.triage.features import Analysis
from bot.triage.model import Assessment

CALIBRATION = Calibration(evidence=0.3, sure=0.7, runner_up=0.1, runner_up_evidence=0.6)


def analysis(*labels: str) -> Analysis:
    return Analysis("text", ["text"], frozenset(labels), ())


def evidence_for(intent: Intent, strength: float) -> Callable[[Intent], float]:
    return lambda asked: strength if asked is intent else 0.0


def test_the_runner_up_over_other_is_taken_when_a_word_points_to_it() -> None:
    ranked = scores(other=0.7, rent_payment=0.25, complaint=0.05)
    evidence = evidence_for(Intent.RENT_PAYMENT, 0.72)
    assert decide(analysis(), Assessment(ranked, evidence=evidence), CALIBRATION) == (
        Intent.RENT_PAYMENT,
        0.25,
    )


@pytest.mark.parametrize(
    ("runner_up_p", "strength"),
    [(0.25, 0.4), (0.05, 0.9)],
    ids=["no word points to it", "the model gives it too little"],
)
def test_other_stays_without_both_probability_and_evidence(
    runner_up_p: float, strength: float
) -> None:
    ranked = scores(other=1 - runner_up_p, rent_payment=runner_up_p)
    evidence = evidence_for(Intent.RENT_PAYMENT, strength)
    assert decide(analysis(), Assessment(ranked, evidence=evidence), CALIBRATION)[0] is Intent.OTHER


@pytest.mark.parametrize("intent", [Intent.EMERGENCY, Intent.ABUSE, Intent.SPAM])
def test_alerts_and_hide_decisions_never_come_from_behind_other(intent: Intent) -> None:
    ranked = scores(other=0.6, **{intent.value: 0.4})
    evidence = evidence_for(intent, 0.95)
    assert decide(analysis(), Assessment(ranked, evidence=evidence), CALIBRATION)[0] is Intent.OTHER


def test_the_runner_up_is_off_by_default() -> None:
    assessment = Assessment(
        scores(other=0.6, rent_payment=0.4), evidence=evidence_for(Intent.RENT_PAYMENT, 0.95)
    )
    assert decide(analysis(), assessment, Calibration())[0] is Intent.OTHER


@pytest.mark.parametrize(("intent", "label"), [(Intent.ABUSE, "INSULT"), (Intent.SPAM, "SPAM")])
def test_a_hide_decision_needs_a_rule_or_a_word_that_leans_that_way(
    intent: Intent, label: str
) -> None:
    ranked = scores(**{intent.value: 0.99, "housing_application": 0.01})
    no_word = evidence_for(intent, 0.0)
    one_word = evidence_for(intent, 0.25)
    assert decide(analysis(), Assessment(ranked, evidence=no_word), CALIBRATION)[0] is not intent
    assert decide(analysis(label), Assessment(ranked, evidence=no_word), CALIBRATION)[0] is intent
    assert decide(analysis(), Assessment(ranked, evidence=one_word), CALIBRATION)[0] is intent


def test_a_link_in_chatter_under_our_videos_is_spam_but_not_on_twitter() -> None:
    link = Analysis("great vid https://x.example", ["great", "vid", "xurl"], frozenset(), ())
    chatter = Assessment(scores(other=0.95, feedback_thanks=0.05))
    assert decide(link, chatter, CALIBRATION, read_only_platform=True)[0] is Intent.SPAM
    assert decide(link, chatter, CALIBRATION, read_only_platform=False)[0] is Intent.OTHER
    no_link = Analysis("great vid", ["great", "vid"], frozenset(), ())
    assert decide(no_link, chatter, CALIBRATION, read_only_platform=True)[0] is Intent.OTHER


def test_an_emergency_the_ngram_classifier_alone_is_sure_of_is_not_averaged_away() -> None:
    # Bag-of-words hesitant, the n-gram classifier sure: the average says repair.
    averaged = scores(repair_report=0.5, emergency=0.45, other=0.05)
    sure = Assessment(averaged, ngram_emergency=0.75)
    unsure = Assessment(averaged, ngram_emergency=0.6)
    assert decide(analysis(), sure, CALIBRATION)[0] is Intent.EMERGENCY
    assert decide(analysis(), unsure, CALIBRATION)[0] is not Intent.EMERGENCY


@pytest.mark.parametrize("label", ["FIRE_FIGURATIVE", "FLOOD_ELSEWHERE"])
def test_a_sure_ngram_classifier_does_not_alert_on_a_figurative_fire_or_flood(label: str) -> None:
    sure = Assessment(scores(other=0.6, emergency=0.4), ngram_emergency=0.9)
    assert decide(analysis(label), sure, CALIBRATION)[0] is Intent.OTHER


@pytest.mark.parametrize(
    ("intent", "sure"),
    [
        (Intent.POLICY_QUESTION, True),
        (Intent.COMPLAINT, True),
        (Intent.REPAIR_REPORT, False),
        (Intent.POLICY_QUESTION, False),
    ],
)
def test_danger_words_make_an_emergency_unless_the_model_is_sure_it_is_about_one(
    intent: Intent, sure: bool
) -> None:
    # "What's your policy on cladding after that tower block fire?": the urgent flag still
    # goes on from the words (flags.safety_flags); the intent stays what the mention asks.
    ranked = scores(**{intent.value: 0.9 if sure else 0.5, "emergency": 0.1 if sure else 0.5})
    chosen = decide(analysis("EMERGENCY"), Assessment(ranked), CALIBRATION)[0]
    assert chosen is (intent if sure else Intent.EMERGENCY)

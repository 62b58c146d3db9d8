"""`urgent` and `comms` from the model's probability of an emergency, a press enquiry or a
policy question, whatever intent was chosen: the contract tunes safety flags for recall."""

from __future__ import annotations

import pytest
from builders import scores

from bot.domain import Flag, Intent
from bot.triage.features import Featuriser
from bot.triage.flags import (
    COMMS_FROM_MODEL,
    COMMS_FROM_POLICY,
    URGENT_FROM_MODEL,
    safety_flags,
)

PLAIN = "the thing in the kitchen is doing it again"


def test_the_plain_text_raises_no_flag_of_its_own(featuriser: Featuriser) -> None:
    assert safety_flags(Intent.REPAIR_REPORT, featuriser.analyse(PLAIN), scores()) == set()


def test_an_emergency_the_model_ranks_behind_a_repair_is_urgent(featuriser: Featuriser) -> None:
    p = scores(repair_report=0.6, emergency=URGENT_FROM_MODEL)
    assert Flag.URGENT in safety_flags(Intent.REPAIR_REPORT, featuriser.analyse(PLAIN), p)


def test_a_faint_emergency_probability_is_not(featuriser: Featuriser) -> None:
    p = scores(repair_report=0.7, emergency=URGENT_FROM_MODEL - 0.05)
    assert Flag.URGENT not in safety_flags(Intent.REPAIR_REPORT, featuriser.analyse(PLAIN), p)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        (Intent.SPAM, PLAIN),
        (Intent.PRESS_ENQUIRY, PLAIN),
        (Intent.OTHER, "our five-a-side team is on fire this season"),
    ],
)
def test_no_model_alert_for_spam_the_press_or_a_figurative_fire(
    featuriser: Featuriser, intent: Intent, text: str
) -> None:
    p = scores(emergency=0.45)
    assert Flag.URGENT not in safety_flags(intent, featuriser.analyse(text), p)


def test_a_press_enquiry_the_model_ranks_behind_a_complaint_reaches_comms(
    featuriser: Featuriser,
) -> None:
    p = scores(complaint=0.6, press_enquiry=COMMS_FROM_MODEL)
    assert Flag.COMMS in safety_flags(Intent.COMPLAINT, featuriser.analyse(PLAIN), p)
    p = scores(complaint=0.7, press_enquiry=COMMS_FROM_MODEL - 0.05)
    assert Flag.COMMS not in safety_flags(Intent.COMPLAINT, featuriser.analyse(PLAIN), p)


def test_a_policy_question_inside_a_complaint_reaches_comms(featuriser: Featuriser) -> None:
    p = scores(complaint=0.6, policy_question=COMMS_FROM_POLICY)
    assert Flag.COMMS in safety_flags(Intent.COMPLAINT, featuriser.analyse(PLAIN), p)


def test_a_third_for_a_policy_question_is_no_comms(featuriser: Featuriser) -> None:
    # The model gives `policy_question` a third to many a "why is my repair late".
    p = scores(complaint=0.6, policy_question=COMMS_FROM_POLICY - 0.05)
    assert Flag.COMMS not in safety_flags(Intent.COMPLAINT, featuriser.analyse(PLAIN), p)

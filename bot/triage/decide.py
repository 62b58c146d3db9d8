"""Choose the one intent: safety rules first, then the model, then the uncertainty fallback.

The model has already seen the rule labels as features; the overrides here are for the
cases where a miss is costly (emergencies, hacking threats, violent threats, journalists)
and must not depend on how sure the model happens to be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain import Intent
from bot.resources import intents_dir
from bot.triage.features import Analysis
from bot.triage.model import Scores

#: Intents that the uncertainty fallback never turns into `other`: a false alarm costs
#: far less than a missed gas leak or press enquiry.
NEVER_FALLBACK = frozenset({Intent.EMERGENCY, Intent.PRESS_ENQUIRY})


@dataclass(frozen=True)
class Calibration:
    """Below ``threshold`` (top probability) or ``gap`` (top minus second) → `other`."""

    threshold: float = 0.0
    gap: float = 0.0

    @staticmethod
    def load() -> Calibration:
        entry = intents_dir().joinpath("calibration.json")
        if not entry.is_file():
            return Calibration()
        data = json.loads(entry.read_text(encoding="utf-8"))
        return Calibration(float(data["threshold"]), float(data["gap"]))


def is_emergency_cue(analysis: Analysis) -> bool:
    return (
        analysis.has("EMERGENCY")
        or (analysis.has("NO_HEAT") and analysis.has("VULNERABLE"))
        # "flooding" alone is a flood; "flooding my timeline" or "flood warning" is not.
        or (analysis.has("EMERGENCY_FLOOD") and not analysis.has("FLOOD_ELSEWHERE"))
    )


def is_press_cue(analysis: Analysis) -> bool:
    return analysis.has("PRESS_SELF_ID") or (
        analysis.has("OUTLET") and analysis.has("PRESS_ASK")
    )


def ranked(scores: Scores) -> list[tuple[Intent, float]]:
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


def decide(analysis: Analysis, scores: Scores, calibration: Calibration) -> tuple[Intent, float]:
    ranking = ranked(scores)
    top, top_p = ranking[0]
    second_p = ranking[1][1] if len(ranking) > 1 else 0.0

    if analysis.has("SECURITY"):
        return Intent.ABUSE, max(top_p if top is Intent.ABUSE else 0.0, 0.9)
    if analysis.has("THREAT") and top not in (Intent.ANTISOCIAL_BEHAVIOUR, Intent.EMERGENCY):
        # A threat reported about a neighbour is ASB; a threat made at us is abuse.
        return Intent.ABUSE, max(scores.get(Intent.ABUSE, 0.0), 0.85)
    if is_emergency_cue(analysis) and not (
        top in (Intent.PRESS_ENQUIRY, Intent.COMPLAINT, Intent.ANTISOCIAL_BEHAVIOUR)
        and top_p >= 0.6
    ):
        return Intent.EMERGENCY, max(scores.get(Intent.EMERGENCY, 0.0), 0.8)
    if is_press_cue(analysis) and not (
        top in (Intent.COMPLAINT, Intent.POLICY_QUESTION, Intent.EMERGENCY) and top_p >= 0.5
    ):
        return Intent.PRESS_ENQUIRY, max(scores.get(Intent.PRESS_ENQUIRY, 0.0), 0.8)

    if top not in NEVER_FALLBACK and (
        top_p < calibration.threshold or top_p - second_p < calibration.gap
    ):
        return Intent.OTHER, scores.get(Intent.OTHER, 0.0)
    return top, top_p

"""Choose the one intent: safety rules first, then the model, then the uncertainty fallback.

The model has already seen the rule labels as features; the overrides here are for the
cases where a miss is costly (emergencies, hacking threats, violent threats, journalists)
and must not depend on how sure the model happens to be.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    """Below ``threshold`` (top probability) or ``gap`` (top minus second) → `other`;
    likewise when no word of the mention points to the intent at least ``evidence``
    strongly (see bot/triage/evidence.py)."""

    threshold: float = 0.0
    gap: float = 0.0
    evidence: float = 0.0

    @staticmethod
    def load() -> Calibration:
        entry = intents_dir().joinpath("calibration.json")
        if not entry.is_file():
            return Calibration()
        data = json.loads(entry.read_text(encoding="utf-8"))
        return Calibration(
            float(data["threshold"]), float(data["gap"]), float(data.get("evidence", 0.0))
        )


def is_emergency_cue(analysis: Analysis) -> bool:
    return (
        analysis.has("EMERGENCY")
        or (analysis.has("NO_HEAT") and analysis.has("VULNERABLE"))
        # A flood in someone's home is an emergency; "flooding my timeline", a flood
        # warning or floods up north are not.
        or (
            analysis.has("EMERGENCY_FLOOD")
            and analysis.has("HOME_PLACE")
            and not analysis.has("FLOOD_ELSEWHERE")
        )
        # Water getting into the electrics is dangerous; a drip on its own is a repair.
        or (analysis.has("WATER_IN") and analysis.has("ELECTRICS") and analysis.has("DANGER_NOW"))
    )


def is_press_cue(analysis: Analysis) -> bool:
    return analysis.has("PRESS_SELF_ID") or (
        analysis.has("OUTLET") and analysis.has("PRESS_ASK")
    )


def ranked(scores: Scores) -> list[tuple[Intent, float]]:
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


#: Rule labels that are evidence of abuse or spam on their own.
ABUSIVE_LABELS = frozenset({"PROFANITY", "INSULT", "INSULT_DIRECT", "SEXUAL", "THREAT"})
SPAM_LABELS = frozenset({"SPAM", "SPAM_NUMBER"})


def _no_evidence(_: Intent) -> float:
    return 1.0


def decide(
    analysis: Analysis,
    scores: Scores,
    calibration: Calibration,
    author_is_press: bool = False,
    evidence: Callable[[Intent], float] = _no_evidence,
) -> tuple[Intent, float]:
    ranking = ranked(scores)
    top, top_p = ranking[0]
    second_p = ranking[1][1] if len(ranking) > 1 else 0.0

    if analysis.has("SECURITY"):
        return Intent.ABUSE, max(top_p if top is Intent.ABUSE else 0.0, 0.9)
    if analysis.has("THREAT") and top not in (Intent.ANTISOCIAL_BEHAVIOUR, Intent.EMERGENCY):
        # A threat reported about a neighbour is ASB; a threat made at us is abuse.
        return Intent.ABUSE, max(scores.get(Intent.ABUSE, 0.0), 0.85)
    press = is_press_cue(analysis) or (author_is_press and analysis.has("PRESS_ASK"))
    if press and not (
        top in (Intent.COMPLAINT, Intent.POLICY_QUESTION) and top_p >= 0.5
    ):
        return Intent.PRESS_ENQUIRY, max(scores.get(Intent.PRESS_ENQUIRY, 0.0), 0.8)

    if is_emergency_cue(analysis) and not (
        top in (Intent.PRESS_ENQUIRY, Intent.COMPLAINT, Intent.ANTISOCIAL_BEHAVIOUR)
        and top_p >= 0.6
    ):
        return Intent.EMERGENCY, max(scores.get(Intent.EMERGENCY, 0.0), 0.8)
    if analysis.has("SPAM_NUMBER") or (
        analysis.has("SPAM") and top in (Intent.OTHER, Intent.FEEDBACK_THANKS, Intent.INVOLVEMENT)
    ):
        # Premium-rate numbers and shortcodes are never a resident's; promotional
        # wording on a mention the model thinks is chatter is spam.
        return Intent.SPAM, max(scores.get(Intent.SPAM, 0.0), 0.75)
    unsure = top_p < calibration.threshold or top_p - second_p < calibration.gap
    if top not in NEVER_FALLBACK and top is not Intent.OTHER and (
        unsure or (evidence(top) < calibration.evidence and not _rule_support(top, analysis))
    ):
        top, top_p = Intent.OTHER, scores.get(Intent.OTHER, 0.0)
    if top is Intent.OTHER:
        # Out of scope for us, but still offensive or promotional: moderation applies.
        if analysis.labels & ABUSIVE_LABELS:
            return Intent.ABUSE, max(scores.get(Intent.ABUSE, 0.0), 0.6)
        if analysis.labels & SPAM_LABELS:
            return Intent.SPAM, max(scores.get(Intent.SPAM, 0.0), 0.6)
    return top, top_p


def _rule_support(intent: Intent, analysis: Analysis) -> bool:
    if intent is Intent.ABUSE:
        return bool(analysis.labels & ABUSIVE_LABELS)
    if intent is Intent.SPAM:
        return bool(analysis.labels & SPAM_LABELS) or analysis.has("SPAM_URL")
    return analysis.has("LEX_" + intent.value.upper())

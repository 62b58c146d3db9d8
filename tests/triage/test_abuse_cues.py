"""The abuse rules on their own. A `THREAT` makes a mention abuse whatever the model says,
and the other abusive labels make out-of-scope chatter abuse; so each must be a threat or
an insult, never the everyday words around it.

Written as new mentions (none is in the corpus): threats in the words people use, and
well-wishes, thanks, sport and complaints that share their verbs ("hope you get well
soon", "we beat them 4-1", "residents deserve to be treated with respect").
"""

from __future__ import annotations

import pytest

from bot.triage.decide import ABUSIVE_LABELS
from bot.triage.features import Featuriser


@pytest.mark.parametrize(
    "text",
    [
        "hope you get hit by a bus on the way home",
        "hope u all rot, heartless lot",
        "I'm going to kill you when I see you",
        "im gonna batter him next time he knocks on my door",
        "someone needs to put a brick through your office window",
        "ignore me again and see what happens",
        "say that to my face",
        "you'll regret this",
        "you will pay for this",
        "go hang yourself",
        "your staff deserve to be shot",
        "I know where your housing officer lives",
        "I'll post her home address everywhere",
        "i'll smash your face in",
        "come round here and batter you",
        "i'll burn your office down",
    ],
)
def test_a_threat_is_a_threat(featuriser: Featuriser, text: str) -> None:
    assert featuriser.analyse(text).has("THREAT")


@pytest.mark.parametrize(
    "text",
    [
        "Hope you get well soon Sandra, missing you at the office",
        "hope you get it sorted soon, thanks for trying",
        "Residents deserve to be treated with respect, not ignored for months",
        "We'll just have to wait and see what happens with the rent increase",
        "I'll shoot you an email with the photos this afternoon",
        "Can I hang them myself or do I need permission? (the curtain poles)",
        "we beat them 4-1 at the fun day football, great day",
        "I'm going to smash our fundraising target for the food bank!",
        "im gonna smash it at the bake off tomorrow 🎂",
        "I know where the office is but what time do you open?",
        "I know where your office is, is there parking nearby?",
        "Are you gonna pay for the damage to my carpet from the leak?",
        "so you'll pay the difference if the repair costs more?",
        "you'll be sorry to hear mum passed away last week, please close her account",
        "I will burn the old letters once my tenancy is transferred",
        "that smell will kill you, the bins haven't been emptied in 3 weeks",
        "can someone come round here and sort the leak out",
        "could you post the address online please, I can't find it",
        "someone's just put a brick through my front window",
        "kids keep throwing stones at the windows of the community centre",
    ],
)
def test_everyday_words_are_no_threat(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).has("THREAT")


@pytest.mark.parametrize(
    "text",
    [
        "absolute legend, thank you Karen 🙌",
        "neighbours keep flicking fag ends off the balcony onto my washing",
        "do you deal with your rat problem in the bin store or do I ring the council",
        "when does your sick pay policy change for the caretakers?",
    ],
)
def test_names_cigarettes_and_pests_are_no_insult(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).labels & ABUSIVE_LABELS

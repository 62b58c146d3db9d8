"""The emergency rules on their own: what raises an urgent alert whatever the model says.

Written as new mentions (none is in the corpus), in the ways people describe danger: a smell
of gas with words between, electrics burning, water into a light, a ceiling come down, a home
that cannot be secured, no heat for someone old or vulnerable, and a one-word shout.
"""

from __future__ import annotations

import pytest

from bot.triage.decide import is_emergency_cue
from bot.triage.features import Featuriser


@pytest.mark.parametrize(
    "text",
    [
        "the kitchen smells really strongly of gas",
        "smoke in the stairwell",
        "help there is a fire in the kitchen",
        "i turned the gas off at the meter but i can still smell it",
        "gas fumes on the landing",
        "horrible eggy smell by the front door",
        "sulphur smell in the bathroom and it's getting worse",
        "loud hissing from behind the gas meter",
        "FIRE!!",
        "HELP!! FIRE!!",
        "flooding!!",
        "fire at the flats on Elm Road, 999 called",
        "fire flat 2",
        "the mattress in the bin store is smouldering",
        "the heater in the bedroom is smoking",
        "the fuse box is crackling and the lights keep going off",
        "the socket went bang and there was a flash",
        "scorch marks round the plug and the socket is hot",
        "got a shock off the bath taps",
        "the cable pulled out of the wall is still live",
        "water is coming through the light fitting in the kitchen",
        "the water tank in the loft has burst",
        "can't find the stop tap and water is everywhere",
        "the toilet overflowed with sewage and it's in the hall",
        "my ceiling has come down",
        "someone kicked my front door in and it won't shut",
        "the lock snapped and now anyone can just walk in",
        "someone's put a brick through my window, it's open to the street",
        "no heating, I'm 84 and it's freezing",
        "my nan's 91 and her boiler's packed in",
        "no heating and my baby is 3 weeks old",
        "the CO alarm keeps going off and we feel sick",
        "my dad's heating is off and he's on a ventilator",
        "lift stopped between floors with my neighbour inside",
    ],
)
def test_danger_described_many_ways_is_an_emergency(featuriser: Featuriser, text: str) -> None:
    assert is_emergency_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "damp smell in the flat, not gas, definitely damp",
        "my gas bill has gone up again",
        "how do I book a gas safety check",
        "🔥🔥🔥",
        "this new kitchen is fire 🔥",
        "the fire at the flats last year was awful, are they rebuilt yet?",
        "what's your policy on smoking on balconies",
        "Smoke on the Water on the radio, what a tune",
        "the tap drips all night",
        "water running down the bedroom walls every morning, condensation again",
        "the handle on my oven door snapped off",
        "hairline crack in the bedroom ceiling",
        "the crack above the door is getting wider, can someone look",
        "water coming through the bathroom ceiling a tiny bit, just a damp patch",
        "plasterer patched the crack but it's opened up again",
        "the light in the hallway keeps flickering",
        "I'm 25 and my heating is a bit temperamental",
        "the 80 bus is always late and the heating on it is off",
        "fence panel leaning after the wind, can someone straighten it",
        "our inbox has been on fire since the rent letters went out",
        "the choir was on fire at the carol service 👏",
        "phone's been on fire with messages all morning",
        "Is there a fire escape in our block?",
        "Is there a fire extinguisher in the communal hall?",
        "Can residents smoke in the communal garden or is it banned?",
        "people smoke in the stairwell every night and it stinks",
    ],
)
def test_hard_negatives_raise_no_emergency(featuriser: Featuriser, text: str) -> None:
    assert not is_emergency_cue(featuriser.analyse(text))

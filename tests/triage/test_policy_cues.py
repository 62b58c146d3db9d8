"""The policy-question rules on their own: POLICY_ASK, which raises only the comms flag
(the model never reads it, so the intent stays the model's), family by family: who may live
in the home, pets and permissions, and how we decide things; and the POLICY_CUE label the
model reads.

Written as new mentions (none is in the corpus): residents asking about our rules, and
residents using the same words about their own repair, rent or neighbour, which must not
raise a comms alert.
"""

from __future__ import annotations

import pytest

from bot.domain import Flag, Intent
from bot.triage.features import Featuriser
from bot.triage.flags import safety_flags


def _comms(featuriser: Featuriser, text: str) -> bool:
    # The rules alone: no model probabilities, an intent that raises nothing by itself.
    return Flag.COMMS in safety_flags(Intent.OTHER, featuriser.analyse(text), {})


@pytest.mark.parametrize(
    "text",
    [
        # Who may live in the home.
        "could my eldest daughter stay with us for a few months after uni?",
        "can my boyfriend move in or does he have to apply separately",
        "can my nan come and live with us now she can't cope alone",
        "when my partner moves in with me does my rent change?",
        "if my brother moved in for a bit would that be a problem with you?",
        "thinking of moving my fiance in next month, anything I need to do?",
        "does my carer need to be added to the tenancy if she sleeps over?",
        "my daughter isn't on the tenancy, is that an issue if she lives here?",
        "if I die can my daughter take over the tenancy?",
        "what are the succession rules for a joint tenant?",
        "at what point do you treat a visitor as someone living in the flat?",
        "how long can my cousin stay before it counts as subletting",
        "is there anything in the tenancy rules about a friend staying over?",
        # Pets and permissions.
        "can I have a house rabbit or not",
        "whats the score with dogs in your flats",
        "could we keep a little dog in a first floor flat?",
        "I'd like to ask whether we could have a cat in sheltered housing",
        "cn we get a puppy",
        "do I really need your ok before I get a kitten?",
        "do you have to approve it if I put up a new shelf?",
        "does a garden room need to be approved first?",
        "can I decorate the hallway in a darker colour?",
        "can we rent out our spare room to a student?",
        "is it OK to change the light fittings myself or do you need to check?",
        # How we decide things.
        "is it your policy to replace carpets when someone moves out?",
        "is there a cap on how many homes go to key workers?",
        "is the fire door inspection mandatory for leaseholders?",
        "do you pay your cleaners the living wage?",
        "are you going to force tenants to have smart meters?",
        "can I opt out of the window cleaning charge?",
        "if the block is demolished do we have a right to return?",
        "how does decanting work if the estate is regenerated?",
        "why was the community bus scrapped? lots of us relied on it",
        "can someone explain why the grass cutting has been reduced to once a month",
        "why've you stopped the bulky waste collections?",
        "why are there only shared ownership flats on the new site",
        "has your pension fund divested from fossil fuels",
        "what's your net zero plan for the older houses?",
        "how are the service charges decided each year?",
        "are rents set by the government or by the board?",
        "what percentage of your homes are let at social rent?",
        # How we decide things, and what we allow.
        "who decided to scrap the hanging baskets on the high street?",
        "who sets the service charges, the board or a formula?",
        "is there a rule about satellite dishes on the balcony?",
        "is keeping chickens in the back garden allowed?",
        "are we entitled to compensation for the scaffolding being up 9 months?",
        "if my daughter moves back in would I lose my tenancy?",
        "do you actually evict people over a few weeks of arrears?",
        "why did you close the Tonbridge office to drop-ins?",
        "where can I find your pets policy? thinking of getting a puppy",
        "is there a copy of the parking policy for the estate online",
        "why u scrapped the summer fun day this year?",
        "why you closed the Edenbridge office, it was handy for us oldies",
        "my dad's tenancy is in his name, if he passes can I take it over?",
        "if I get behind on rent will you evict me straight away?",
        "would you kick us out for having a lodger",
        "we want a cat, are you lot gonna turf us out if we get one",
        "how can you justify a new head office when rents are going up",
        "what's the legal basis for the cameras on our landing?",
        "was there a vote on selling the garages?",
        "can I keep a rabbit in a ground floor flat?",
        "heard a rumour you're merging with another HA, any truth in it?",
        "how much are your directors paid?",
    ],
)
def test_a_policy_question_raises_comms(featuriser: Featuriser, text: str) -> None:
    assert _comms(featuriser, text)


@pytest.mark.parametrize(
    "text",
    [
        # The same words about the resident's own household, pets and home.
        "my son lives with me and the boiler's broken",
        "my daughter moved in last week and the shower still doesn't work",
        "my partner is at home all day so the engineer can come any time",
        "my mum is on the tenancy but I'm ringing for her about the damp",
        "I've moved my kids into the front room because of the mould",
        "the dog next door barks all night",
        "my cat got out through the broken back door, can you fix it?",
        "can I get a repair booked for the bathroom tap",
        "can I pay my rent by card",
        "can you come and fix my door",
        "can my son call you about my repair? I'm in hospital",
        "I'm covering for my sister while she's away, her boiler is leaking",
        "can I paint over the mould or will it come back?",
        # How-we-decide wordings about one repair or account.
        "why was my appointment cancelled again?",
        "why was the plumber sent away without fixing it",
        "how is my rent calculated this year?",
        "how's the repair going, any news?",
        "is there a number I can ring out of hours?",
        "can I refuse the appointment time, I work that day",
        "is that allowed? they park across my drive every night",
        "the right to buy form is confusing, can someone help",
        "I'm on the minimum wage and can't make the rent this month",
        "my pension goes in on the 5th so can I pay then",
        "what's the plan for fixing my kitchen ceiling?",
        "why you cancelled my appointment again",
        "why u stopped answering the phone",
        "why you cancelled the appointment, I was in all day",
        "my car insurance policy renewed and went up again",
        "the tenancy starts monday, I'll take it over to the office later",
        "the landlord's gonna kick us out next month, can I go on your list?",
        "can you kick me off the mailing list",
        "my mum said she'd kick me out if I didn't tidy up",
    ],
)
def test_a_residents_own_matter_raises_no_comms(featuriser: Featuriser, text: str) -> None:
    assert not _comms(featuriser, text)


@pytest.mark.parametrize(
    "text",
    [
        "why did you cancel my appointment again?",
        "is that even allowed? the drilling goes on till midnight",
        "can we have a cat flap fitted in the new door?",
        "who set the fire alarm off at 3am?",
    ],
)
def test_a_residents_own_matter_raises_no_policy_ask(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).has("POLICY_ASK")


@pytest.mark.parametrize(
    "text",
    [
        "what's your policy on pets",
        "Do you let tenants keep dogs?",
        "has that been scrapped?",
        "are you going to pay your staff the real living wage",
        "Can I record my calls with your staff?",
        "are you going to sell the garages on Elm Road?",
        "are you going for heat pumps in the new builds?",
        "how do you work out the service charge?",
        "why did you change the rules on garden sheds?",
        "can I put up a shed in my garden?",
    ],
)
def test_a_question_about_our_rules_is_a_policy_cue(featuriser: Featuriser, text: str) -> None:
    assert featuriser.analyse(text).has("POLICY_CUE")


@pytest.mark.parametrize(
    "text",
    [
        "What's the process for reporting a repair online?",
        "Do you still have my phone number? It changed last month",
        "Has it been fixed? The engineer was meant to come Tuesday",
        "Have you been out to fix the fence yet?",
        "What do you think of my garden?",
        "Can I film the leak and send it to you?",
        "how do you set up a standing order for my service charge?",
        "how do you work the new thermostat, it keeps beeping",
        "when you set up my payment plan you got the date wrong",
        "why did you change my gas service visit to a Saturday?",
        "would appreciate your thoughts on my hedge plans",
        "is it true that you're open late on Thursdays now?",
        "are you going to fix the gutter this week or not?",
        "are you joining us for the litter pick on Sunday?",
        "my contents insurance policy on the flat doesn't cover leaks",
        "I wasn't allowed to bring my dog into the office",
        "can I get my kitchen sink fixed this week?",
        "can we get the kitchen door repaired, it won't shut",
        "will you let me know when the roofer is booked?",
        "what's the reason my gas check was moved?",
        "why can't you pay me the refund I'm owed?",
    ],
)
def test_a_residents_own_business_is_no_policy_cue(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).has("POLICY_CUE")

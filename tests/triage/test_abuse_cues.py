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
        "I'll smash your windows in if nobody comes out",
        "someone needs to punch him, he's a menace",
        "we'll batter your staff next time they turn up",
        "i'll lob a bottle at your van when it comes past",
        "keep ignoring me and see what happens",
        "find out where he lives and post it on here",
        "it won't be pretty when I get there",
        "you will pay for it, mark my words",
        "turn up at my door again and you'll leave in an ambulance",
        "I know which school your kids go to",
        "I'm coming round with a baseball bat",
        "next time he's here I'm going to knock him out",
        "you're getting done in when I see you",
        "watch what happens to your office tonight",
        "I'll make your life hell",
        "found out where that housing officer lives",
        "the next one of your staff who knocks gets their legs broken",
        "push me again and someone's getting hurt, that's a promise",
        "I'll be waiting outside your office when you finish",
        "I know where you park, nice motor",
        "somebody should knock that councillor out cold",
        "wish someone would run over that smug reporter",
        "I'd happily do time for your repairs manager",
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
        "our chippy will batter your sausages while you wait",
        "I'll slap your name down for the Christmas lunch",
        "someone will hurt their ankle on that loose paving slab",
        "watch your back when you lift the new wheelie bins",
        "will you pay for it or do I claim on my insurance?",
        "please don't let a candle burn your house down over Christmas",
        "high winds could wreck your car if it's parked under the trees",
        "no family deserves to suffer with black mould like this",
        "hope you burn off the mince pies at the Boxing Day walk",
        "ignore me, I'll just wait and see what happens on Tuesday",
        "come down here and smash it at the quiz night",
        "I'll put a bottle on the tombola for the summer fair",
        "could someone find out where Pat lives and send her some flowers",
        "do I put her address on the form or mine, she's moving in",
        "the hedge by number 4 needs a good clip",
        "the front door needs a good kicking before it shuts",
        "it will be pretty cold in the hall so bring a coat",
        "never post your home address in the group chat",
        "the officer said it to my face that I'd be rehoused",
        "you'll kill yourself laughing at the pantomime",
        "I hope he gets shot of that old fridge on the landing",
        "hang them all along the fence for the street party",
        "the under 10s beat them in the cup on Saturday",
        "can anyone find out where Maureen lives now so we can send a card",
        "the gardeners are coming round with a hammer and nails to fix the fence",
        "I'm done in after the fun run",
        "the kids had a whale of a time at the playscheme",
        "someone is going to get hurt on those broken steps",
        "I'll be outside your office at 9 to drop the forms in",
        "do you know where I park for the community hub?",
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
        "lovely photo of the councillor's swearing-in at the town hall",
        "cock-a-leekie soup at the lunch club today",
        "where's the stop cock in the new build bungalows?",
        "tickets for Dick Whittington at the Assembly Hall",
        "free finger prick cholesterol checks at the hub",
        "the door knob on the bin store has come off",
        "pancake race at noon, best tosser gets a prize",
        "a pair of blue tits are nesting in our bird box",
        "the pussy willow along the brook is out",
        "the ramblers are doing a stretch of Offa's Dyke on Sunday",
        "missing: ginger Maine Coon, answers to Simba",
        "the bakery on the parade has shut up shop",
        "my phone is about to die in a minute, ring me back",
        "stupid me, I sent the form to the wrong address",
        "who's watching the Traitors tonight?",
        "can't shift the soap scum on the tiles, any tips",
        "when is the vermin control team back for the rats",
        "I feel pathetic asking but can someone help me move a wardrobe",
        "so sorry to hear your sad news about Ron",
        "love your creepy Halloween window display",
        "are you sad to see the old garages go?",
        "my son is going as a witch to the Halloween disco",
    ],
)
def test_everyday_words_are_no_insult(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).labels & ABUSIVE_LABELS


@pytest.mark.parametrize(
    "text",
    [
        "what a stupid decision, typical",
        "u r all vermin",
        "she's a lying cow and you know it",
        "suck my dick",
        "nice tits love",
        "the lot of you can go die in a ditch",
        "shut up you useless lot",
        "🤬🤬🤬",
        "you absolute knuckleheads",
        "get back to your cave, neanderthal",
        "wish you all a slow painful death",
        "nobody would miss you",
        "she's a waste of oxygen",
        "sit on my face",
    ],
)
def test_insults_and_profanity_are_still_caught(featuriser: Featuriser, text: str) -> None:
    assert featuriser.analyse(text).labels & ABUSIVE_LABELS

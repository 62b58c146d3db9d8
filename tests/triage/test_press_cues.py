"""The press rules on their own: what flags a mention to the Communications Team whatever
the model says.

Written as new mentions (none is in the corpus): journalists asking for a comment or a
statement, and residents using the same words for their own business, which must not
raise a comms alert.
"""

from __future__ import annotations

import pytest

from bot.triage.decide import is_press_cue
from bot.triage.features import Featuriser


@pytest.mark.parametrize(
    "text",
    [
        "could you give us a statement on the damp at Elm Court by 4pm",
        "we'd welcome a comment about the eviction figures",
        "any comment on the mould story? KentOnline",
        "can you send us a statement for our piece on rent arrears",
        "BBC Radio Kent here, would you give us a statement on the rent statements going out late",
        "I'm a reporter at the Courier, can you send me a statement of your position on the "
        "service charge rise",

        "can you give us a line on the garages sale? going up on the page tonight",
        "We've been sent a video that appears to show mould in one of your flats, we'd "
        "welcome a response",
        "Could you confirm how many homes are empty?",
        "Seen your annual report, could you clarify the figure? Writing it up tomorrow",
    ],
)
def test_a_request_for_comment_is_a_press_cue(featuriser: Featuriser, text: str) -> None:
    assert is_press_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "could you send me a statement for the last 12 months please",
        "I'd like a statement of my rent account for my records",
        "can you send me a rent statement, need it for my UC claim",
        "please send me a statement showing my payments since April",
        "your officer made a comment about my accent and I want it looked into",
        "the man upstairs keeps making comments about my kids",
        "Just a quick line to say thank you to Dave for fixing our boiler!",
        "Please drop me a line to let me know when the engineer is coming",
        "I need a statement to prove my address for the bank",
        "Residents told me the lift on Oak Court is broken again, can you look into it?",
        "Please reply to my report about the mould in the bathroom",
        "We've been sent a letter about the rent increase, is it right?",
        "Can you confirm how much my rent will be from April?",
        "Are you aware of the complaints about the bins on Elm Road?",
        "The engineer wrote it up as fixed but the tap is still dripping",
    ],
)
def test_a_residents_own_statement_or_remark_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_press_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "what's your policy on pets",
        "Do you let tenants keep dogs?",
        "has that been scrapped?",
        "are you going to pay your staff the real living wage",
        "Can I record my calls with your staff?",
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
    ],
)
def test_a_residents_own_business_is_no_policy_cue(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).has("POLICY_CUE")

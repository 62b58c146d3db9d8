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
    ],
)
def test_a_residents_own_statement_or_remark_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_press_cue(featuriser.analyse(text))

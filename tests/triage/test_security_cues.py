"""The security rules on their own: what raises the `security` flag (and makes the
mention abuse) whatever the model says.

Written as new mentions (none is in the corpus): threats to get into or take down our
systems in words the older word-order patterns missed, and residents' own words about
logins, hacked accounts and the housing register, which must not raise it.
"""

from __future__ import annotations

import pytest

from bot.triage.decide import is_security_threat
from bot.triage.features import Featuriser


@pytest.mark.parametrize(
    "text",
    [
        "i work in cyber, give me a weekend and your tenant portal is mine",
        "we've got admin on your CRM now. every buried complaint goes public",
        "a bit of sql in your search box and the whole tenants table is mine",
        "ur cctv has no login, I can watch the car park from my sofa",
        "sent ur staff a fake login page, 2 of them have already typed their passwords in",
        "your website's going offline tonight and it won't be an accident 😈",
        "getting some bots together to hammer your online services on rent day",
    ],
)
def test_an_attack_on_our_systems_is_a_security_threat(
    featuriser: Featuriser, text: str
) -> None:
    assert is_security_threat(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "I've been in your system since 2019 and still no offer",
        "sorry to spam your inbox with photos of the damp",
        "think my email's been hacked, can I change the one on my rent account",
        "someone hacked my facebook, ignore any messages asking for money",
        "your website is offline again, how am I meant to pay my rent",
        "the portal crashed when I tried to log in, it says my password is wrong",
        "life hack: email AND ring, repairs move faster when it's in writing",
        "does anyone know how to hack the heating timer in the new flats? 😂",
    ],
)
def test_a_residents_own_account_or_an_outage_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_security_threat(featuriser.analyse(text))

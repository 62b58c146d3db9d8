"""The security rules on their own: what raises the `security` flag (and makes the
mention abuse) whatever the model says.

Written as new mentions (none is in the corpus): threats to get into or take down our
systems in words the older word-order patterns missed, and residents' own words about
logins, hacked accounts and the housing register, which must not raise it.
"""

from __future__ import annotations

import pytest

from bot.triage.decide import is_phishing_for_our_logins, is_security_threat
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
        "I'll ring your helpdesk claiming to be the new finance manager and get the passwords reset",
        "your complaints inbox is getting 20k emails a minute from tonight. your call",
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
        "someone rang my mum pretending to be from your repairs team and asked for her login",
        "I'm posting the photos of the mould on your website tonight so everyone can see",
        "the website keeps crashing, I'll try again tonight",
        "your new website has compromised on accessibility, the font is tiny",
    ],
)
def test_a_residents_own_account_or_an_outage_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_security_threat(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "Meta Support: your page WestKentHA breaks our rules and will be unpublished in 24 "
        "hours. Confirm you own it here: meta-page-review.net",
        "Dear page admin, unusual sign-in on your business account. Secure your login now at "
        "bit.ly/3xYz",
        "IT helpdesk here, we're moving mailboxes tonight. Please reply with your staff login "
        "and password so yours isn't missed",
    ],
)
def test_a_lure_for_our_logins_is_phishing(featuriser: Featuriser, text: str) -> None:
    assert is_phishing_for_our_logins(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        # Anyone's login, not ours: spam, but no attempt on us.
        "Your Apple ID has been locked. Verify now: apple-id-secure.net",
        "50% off today only, verify your email to claim: shop-deals.biz",
        # A resident who was sent one, or who cannot get into their own account.
        "got a text saying my West Kent account is locked and to verify my details at "
        "wkha-secure.co, is this genuine?",
        "cant log in to the portal westkent.org.uk/login, it keeps saying my password is wrong",
    ],
)
def test_a_scam_aimed_elsewhere_or_reported_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_phishing_for_our_logins(featuriser.analyse(text))

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
        "your online security is a joke, I'm in tonight and wiping your whole database",
        "I've got into your staff emails and I'm dumping them online at midnight",
        # The narrowed word-order patterns still catch threats to our own systems.
        "I'm going to hack the website tonight and there's nothing you can do",
        "we'll take the site down on rent day",
        "I've accessed your database, all the rent records are there",
        "installed a backdoor on your server last month, still there",
        "got into the admin panel of your website, changing the homepage tonight",
        "I'll flood your site with junk requests till it falls over",
        "trying every password on your staff login until one works",
        "we have all your records, pay up or they go public",
        # A menace in a phrase, not a lone word ("next", "shame", "unless").
        "be a shame if your website stopped working on rent day",
        "unless you fix my boiler your servers are going down",
        "setting my bots on your webchat tonight, good luck answering real tenants",
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
        # Building sites, boilers, leaks and back doors: the same words, nothing of ours.
        "The engineer is going to shut the system down to drain the radiators",
        "Can you take the site notice down now the works are finished?",
        "There's a leak, the data from my meter reading is wrong too",
        "It took brute force to open the bathroom window",
        "The contractors were flooding the site with water from the hoses",
        "The back door won't lock, can someone come out?",
        "There's a hole in the fence by the site entrance",
        # Residents' own logins, emails and records.
        "Who is the admin for the residents Facebook page?",
        "How can I access my rent records online?",
        "I got your email about the gas safety check, thanks",
        "I tried my password loads of times and it's locked me out",
        "I've tried 2 logins and neither works, can someone help?",
        "Finally got into the portal after three weeks, thanks",
        "Got your login letter but the code has expired",
        "Can't get onto the wifi network at the community centre",
        "I've got the records of my rent payments, shall I send them?",
        "I'm not in until I get back from work at 5",
        "Are you going to publish the survey data online?",
        "The laundry room has no lock and no password on the wifi, is that right?",
        # Figures of speech, warnings and reports of a scam.
        "Still hacked off about the bins not being collected",
        "Love your app, it's wide open with options now",
        "Top hack from your newsletter: bleed the radiators",
        "Your chatbot is just bots, useless",
        "You won't regret joining the residents panel",
        "What's next for the regeneration of the estate?",
        "Beware of phishing texts pretending to be from West Kent, don't click the link",
        "Watch out, a man came round saying he's from your gas team and asked for my bank "
        "details",
    ],
)
def test_everyday_words_that_sound_like_an_attack_are_not(
    featuriser: Featuriser, text: str
) -> None:
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
        "this is meta support, your page will be unpublished today. reply with the code u get "
        "by text to keep it",
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
        # Advice about codes and a resident's own click on a link of ours.
        "Never give your passcode to anyone who calls",
        "Don't share your code with anyone, even if they say they're from us",
        "Type your key safe code into the box by the door",
        "I clicked on the link in your newsletter and it said the page had expired",
    ],
)
def test_a_scam_aimed_elsewhere_or_reported_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_phishing_for_our_logins(featuriser.analyse(text))

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
        # Written after the rules, in words no rule was written from.
        # A plan aimed at one of our systems, in a verb no resident uses of it.
        "I'll have your website down before your board meeting",
        "Planning to knock out your online services on rent day. Spread the word",
        "who's up for taking west kent's website down? RT",
        "I'll shut your phone lines down",
        "I'm going to break into your tenant portal and delete my arrears",
        "someone should hack west kent and show everyone what they're hiding",
        "we're launching a cyber attack on west kent at midnight",
        "gonna deface your homepage with photos of my mould, see how you like it",
        "I'll take over your twitter account and post the truth",
        "gonna hijack your social media accounts",
        "your facebook page is going to be hijacked and you won't get it back",
        "I'll hack the door entry system at Oak House so anyone can walk in",
        # Claims to be in already, or to have what is ours.
        "I'm in your mainframe lol",
        "already inside your network, been there since March",
        "I've been reading your housing officers' emails for a month",
        "stole your CEO's password, reading her emails now",
        "I'm downloading your tenant database as we speak. Thanks for the open port.",
        "scraped 3000 tenant emails from your portal, selling them",
        "dumped your database, 12k records, link going up on the forums",
        "I've got your staff list with home addresses, pulled it off your server. should I "
        "post it?",
        "doxxing your housing officers tomorrow, got their home addresses from your system",
        "Send £5k in BTC or your tenants' records go on the dark web",
        "I'm selling access to your network on the dark web. Someone will bite",
        "Got a mate who works on your IT contract. He's given me the admin password. Let the "
        "fun begin",
        "I can turn off your CCTV at Brook House from my phone. Want a demo?",
        "your phone lines will be jammed with robocalls all week, thousands of them",
        "spoofing your email address to send every tenant a fake rent rise letter",
        "next time I'm at your office I'm plugging a USB stick into one of your PCs, see what "
        "happens",
        # A password anyone could guess, data taken out, a login that was never closed.
        "I know your staff all use Password123 lol",
        "We have exfiltrated 40GB from your file share. Contact us or it gets published.",
        "Ex-employee here, my old login still gets me into your CRM. Might have a look at a few "
        "files",
        "easy to get admin on your portal, done it twice",
        "Shout out to whoever took the West Kent website down yesterday, more of that please",
        "How hard would it be to get into West Kent's tenant database? asking for a mate",
        # A threat to publish our staff's logins.
        "I'll be leaking your staff passwords on here tomorrow if nobody rings me",
        "dumping every one of your housing officers' logins on Telegram tonight",
        "publishing the whole list of your repairs team with their logins at midnight unless "
        "somebody phones me by 5",
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
        # Residents' own accounts, outages, worries and burglaries.
        "my portal account got hacked, someone changed my bank details, help",
        "I think someone's got into my rent account, there's a payment I didn't make",
        "your website's been down all day, is it a cyber attack? can't pay rent",
        "read about the cyber attack on another housing association, are our details safe?",
        "The council got hacked last year, are you doing anything to protect our data?",
        "someone broke into my shed and stole my bike",
        "the burglars got in through the back window and took my tv",
        "crashed my car, can't get to the office for my appointment",
        "the lift system crashed again, we're stuck on the 4th floor",
        "will you take the website down for maintenance this weekend?",
        "I'll be on your website at 9 sharp to book the slot, hope it doesn't crash this time",
        "Someone should fix your website, it's been down all week",
        "if your phone lines go down again I'm going to the ombudsman",
        "my ex keeps logging into my portal account and changing things, how do I stop him?",
        "Please shut down that fake West Kent page on Facebook, it's asking people for money",
        "your portal showed me someone else's repair history when I logged in, that's a data "
        "breach, please fix it",
        "The fob for the bin store doesn't work, can you send a new one?",
        "the door code for the bin store is written on the wall, anyone can get in",
        "hack the queue: ring at 8:59 and you're first",
        "I reset it to Password123 like the letter said and it won't work",
        "my password is Password1 and it still says wrong",
        "as someone who works in IT, your new portal is very well built",
        # Threats and insults at people, and campaigns of complaints: abuse, not security.
        "West Kent I'm going to take you down in court, see how you like it",
        "someone should take that housing officer down a peg or two",
        "I'll knock your manager out if he comes round here again",
        "I'm going to destroy you on social media, West Kent, every day until my repair is done",
        "we're going to flood your phone lines with complaints tomorrow, every tenant on the "
        "estate",
        "I'm going to complain to your CEO and post this all over your Facebook until someone "
        "listens",
    ],
)
def test_a_residents_own_account_an_outage_or_a_threat_at_people_is_not(
    featuriser: Featuriser, text: str
) -> None:
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
        "posting a reminder to everyone: never share your password with anyone",
        "posting this so people know how to reset the portal password",
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
        # Wider lures with our page, domain or staff named; a weaker ask from someone
        # posing as our IT or chief executive.
        "Facebook Security: We detected a login to your Page West Kent Housing from an "
        "unrecognised device in Lagos. If this wasn't you, secure your account here: "
        "fb-secure-login.com",
        "Dear West Kent Housing Association, your domain name westkent.org.uk expires in 3 "
        "days. To avoid losing your website and email, renew now: domain-renewal-services.net",
        "Page Admin, your page is in breach of our community guidelines and will be removed. "
        "Request a review: meta-review-center.com",
        "Your page West Kent Housing has been hacked by an unknown device. Protect your page by "
        "logging in at fb-protect.net",
        "Voicemail received for West Kent Housing reception (0:47). Listen here with your "
        "Outlook login: voicemail-outlook365.com",
        "Hi, Gary from the IT team here, working from home today. Could one of the comms team "
        "DM me the Hootsuite login? Need to schedule the posts urgently",
        "Urgent from your CEO: I'm in a meeting, can you send me the code that was just texted "
        "to your work phone? Need it now",
        "Hi it's IT, we're rolling out MFA. Reply to this message with your username and the "
        "6-digit code you receive.",
        # A notice about a post of ours: the post names the page it aims at.
        "NOTICE: your latest post breaks our community standards. Your account will be "
        "disabled in 24 hours unless you log in and appeal at meta-appeals-centre.net",
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
        # Offers to whoever runs a page or a website, and scams on anyone.
        "Hello admin, I can get your website to page 1 of Google. Request a free audit here: "
        "seo-rank-pro.com",
        "Dear page owner, we offer verified followers for your business page. Sign up here: "
        "fanboost.net",
        "Boost your page reach! Verified agency, secure your spot today: growfast-smm.com",
        "Urgent: your parcel is held at the depot. Pay the £1.99 fee within 24 hours here: "
        "royalmail-redelivery.com",
        "Your Apple ID has been disabled for security reasons. Confirm your identity here: "
        "apple-id-check.net",
        "Send me the promo code for the residents' fun day please",
        # Residents' own logins and warnings.
        "Got an email saying my portal password expires, asking me to click a link. Is this "
        "from you?",
        "I keep getting texts from 'West Kent' asking me to verify my bank details, please warn "
        "everyone",
        "How do I verify my email on the portal? The link has expired",
        "Reminder: residents, West Kent will never ask for your password. Report suspicious "
        "texts to us",
        "loved your recent post about the fun day! my pics are here bit.ly/funday24",
        "Got a message saying my account will be restricted for a copyright violation, log in "
        "to dispute at some link. Is this you?",
    ],
)
def test_an_offer_a_scam_aimed_elsewhere_or_one_reported_is_not(
    featuriser: Featuriser, text: str
) -> None:
    assert not is_phishing_for_our_logins(featuriser.analyse(text))

"""Every flag of the contract, through the real trained triage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from builders import mention

from bot.domain import Flag, Intent, Kind, Platform
from bot.triage.pipeline import Triager


def flags_of(triager: Triager, text: str, **kw: object) -> frozenset[Flag]:
    return triager.triage(mention(text, **kw)).flags  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I'm a reporter at Kent Online writing about damp in Tonbridge. Could you give us a comment by 4pm?",
        "Media enquiry: BBC South East would like an interview with someone about the Storm Bert repairs",
        "journalist here, can your press office call me back re the eviction story",
    ],
)
def test_press_enquiries_get_comms(triager: Triager, text: str) -> None:
    result = triager.triage(mention(text))
    assert result.intent is Intent.PRESS_ENQUIRY
    assert Flag.COMMS in result.flags


def test_a_journalists_own_complaint_still_gets_comms(triager: Triager) -> None:
    text = (
        "I'm a journalist at the Guardian but this is personal: I want to make a formal "
        "complaint, my mum's boiler repair has been cancelled four times"
    )
    assert Flag.COMMS in flags_of(triager, text)


def test_an_outlet_author_gets_comms(triager: Triager) -> None:
    text = "Are your offices open on Boxing Day?"
    assert Flag.COMMS in flags_of(triager, text, handle="@KentOnlineNews", name="KentOnline")
    assert Flag.COMMS not in flags_of(triager, text)


@pytest.mark.parametrize(
    "text",
    [
        "am I allowed to keep a rabbit in the back garden?",
        "do I need your permission to lay laminate in the hallway",
        "what's West Kent's stance on the new rent cap?",
    ],
)
def test_any_policy_question_reaches_comms_whatever_the_intent(triager: Triager, text: str) -> None:
    assert Flag.COMMS in flags_of(triager, text)


def test_policy_questions_get_comms(triager: Triager) -> None:
    result = triager.triage(mention("What is your policy on keeping dogs in flats?"))
    assert result.intent is Intent.POLICY_QUESTION
    assert Flag.COMMS in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "I can smell gas in the hallway",
        "our carbon monoxide alarm keeps going off",
        "the gas alarm in the kitchen is going off, what do I do",
        "water pouring through the kitchen ceiling onto the electrics!!",
        "the flat downstairs is on fire, smoke everywhere",
        "no heating and I've got a newborn baby, it's freezing",
        "wires hanging out of the wall sparking",
        "smells like rotten eggs in the kitchen",
        "someone has broken in and the back door won't shut",
        "the bathroom ceiling is bulging with water, it's going to come down",
        "my elderly neighbour is trapped in the lift",
        "the lift is stuck with my son in it",
        "the water's been off all day and my mum is 88 with a heart condition",
        "we were burgled overnight and now the front door doesn't lock",
        "power cable snapped in the wind and it's hanging down over the footpath",
        "the scaffolding on our building is wobbling and looks like it could go",
        "keep feeling dizzy and drowsy whenever the gas fire is on, so is my husband",
        "my son nearly passed out in the kitchen, the boiler's been making a funny noise",
        "outside light fell off the wall and the wires are dangling by the front step",
    ],
)
def test_emergencies_are_urgent(triager: Triager, text: str) -> None:
    result = triager.triage(mention(text))
    assert result.intent is Intent.EMERGENCY
    assert Flag.URGENT in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "my car insurance policy renewal is due, any tips?",
        "all fired up for the fun day on saturday!",
        "the quiz night was an absolute gas 😂",
        "we rented a bouncy castle for the party",
        "my Facebook got hacked, ignore any weird messages from me",
        "can you comment on why my repair is late? third time of asking",
        "my neighbour's a journalist and even she can't believe how long this is taking",
        "sorry for flooding my timeline with storm pics",
        "I am writing to complain about my housing officer",
        "not complaining about you, I'm reporting the flat upstairs for noise",
        "how do I get into the tenant portal? never set it up",
        "how many calories does a long walk burn",
        "our under-12s are on fire this season, five wins on the bounce",
        "my calves were on fire after that hill",
        "my head was pounding after that residents' meeting, three hours!",
        "can you fit a gas alarm when you service the boiler?",
        "the lift is stuck on the 4th floor again, third time this month",
    ],
)
def test_hard_negatives_raise_no_safety_flag(triager: Triager, text: str) -> None:
    flags = flags_of(triager, text)
    assert Flag.URGENT not in flags
    assert Flag.COMMS not in flags
    assert Flag.SECURITY not in flags


def test_press_the_button_is_no_press_enquiry(triager: Triager) -> None:
    # The hard negative for the press rules. The model reads a boiler that will
    # not fire as maybe an emergency (0.47 when this test was written: no heating is one for
    # someone vulnerable), so `urgent` may go on (flags.URGENT_FROM_MODEL): a false alarm the
    # contract prefers to a missed emergency.
    result = triager.triage(mention("press the button on the boiler and it just clicks"))
    assert result.intent is not Intent.PRESS_ENQUIRY
    assert Flag.COMMS not in result.flags


def test_abuse_and_spam_need_moderation(triager: Triager) -> None:
    abuse = triager.triage(mention("you are useless lazy bastards, rot in hell"))
    assert abuse.intent is Intent.ABUSE and Flag.MODERATION in abuse.flags
    spam = triager.triage(mention("WIN a £1000 Tesco voucher!! click here bit.ly/fr33 to claim"))
    assert spam.intent is Intent.SPAM and Flag.MODERATION in spam.flags


def test_hacking_threat_is_abuse_with_security(triager: Triager) -> None:
    result = triager.triage(mention("I'm going to hack your website and leak all your tenants data"))
    assert result.intent is Intent.ABUSE
    assert {Flag.SECURITY, Flag.MODERATION} <= result.flags


@pytest.mark.parametrize(
    "text",
    [
        "I recorded the call with your housing officer and I'm posting it on here tonight",
        "your officer promised on the phone it would be fixed, I have it all on tape",
        "the whole conversation was recorded so don't lie to me",
        "Uploaded the full phone call with your advisor, have a listen",
        "play the voice memo of my call and hear it for yourselves",
    ],
)
def test_call_recording(triager: Triager, text: str) -> None:
    assert {Flag.CALL_RECORDING, Flag.MODERATION} <= flags_of(triager, text)


def test_sealing_a_draughty_window_with_tape_is_no_call_recording(triager: Triager) -> None:
    flags = flags_of(triager, "the window frame leaks so we put tape round it")
    assert Flag.CALL_RECORDING not in flags


@pytest.mark.parametrize(
    "text",
    [
        "I'll be in your tenant database by Monday, your staff login page is a joke",
        "guessed half your staff passwords already lol",
        "been phishing your staff emails all week, one of them clicked",
        "I'll keep trying your portal until I'm in",
        "we have your tenants' data. Pay 2 BTC or we publish it",
        "I can log in as any tenant on your portal by changing the number in the URL lol",
        "could get on your office network from the car park and I will",
        "I'm going to spam your contact form with 10,000 messages a minute until it breaks",
        "someone should hack this useless council site and put it out of its misery",
    ],
)
def test_hacking_threats_in_the_first_person(triager: Triager, text: str) -> None:
    assert Flag.SECURITY in flags_of(triager, text)


@pytest.mark.parametrize(
    "text",
    [
        "how do I get on your wifi at the community centre",
        "I have your details wrong on my account, can you fix it",
        "can I log in as my mum? I'm her carer",
        "life hack: this site has all the bin days",
        "I'll flood your phone lines until someone answers",
    ],
)
def test_residents_own_logins_and_wifi_are_no_security_threat(
    triager: Triager, text: str
) -> None:
    assert Flag.SECURITY not in flags_of(triager, text)


@pytest.mark.parametrize(
    "text",
    [
        "do u allow dogs in the new flats",
        "Why don't you publish how much the chief exec earns?",
        "Scrapping the community bus makes no sense. What's the reasoning behind it?",
        "can I record our meetings on my phone?",
    ],
)
def test_policy_questions_phrased_as_challenges_reach_comms(triager: Triager, text: str) -> None:
    assert Flag.COMMS in flags_of(triager, text)


@pytest.mark.parametrize(
    ("handle", "name"),
    [("@TonbridgeGazette", "Tonbridge Gazette"), ("@MaidstoneNewsroom", "Maidstone Newsroom")],
)
def test_a_local_paper_author_gets_comms(triager: Triager, handle: str, name: str) -> None:
    text = "Lovely to see the new community garden open today"
    assert Flag.COMMS in flags_of(triager, text, handle=handle, name=name)


def test_a_self_identified_local_paper_is_a_press_enquiry(triager: Triager) -> None:
    result = triager.triage(
        mention("Hi, I'm with the Swanley Courier, could someone comment on the parking row?")
    )
    assert result.intent is Intent.PRESS_ENQUIRY
    assert Flag.COMMS in result.flags


def test_a_press_researcher_gets_comms(triager: Triager) -> None:
    text = "PhD researcher at Kent uni looking at tenant participation, could I interview someone?"
    assert Flag.COMMS in flags_of(triager, text)


@pytest.mark.parametrize(
    "text",
    [
        "still no repair, ring me on 07700 900123",
        "email me at jo.bloggs@example.com about the damp",
        "the leak is at 14 Oak Road, please send someone",
        "my tenancy ref is WK123456, why is my rent wrong?",
        "Tenancy no. T0091184 - what is my weekly rent?",
        "flat 4, TN9 1AB - the lift is broken again",
        "my rent account is 2231-0098-04, why does it say I owe £60?",
    ],
)
def test_personal_data(triager: Triager, text: str) -> None:
    assert Flag.PERSONAL_DATA in flags_of(triager, text)


@pytest.mark.parametrize(
    "text",
    [
        "what is your phone number?",
        "is the office on the high street open? I'm in TN9",
        "call us on 0300 100 0303",
        "still waiting on the plumber, repair job ref 4471920",
    ],
)
def test_no_personal_data(triager: Triager, text: str) -> None:
    assert Flag.PERSONAL_DATA not in flags_of(triager, text)


def test_a_spammers_number_is_not_personal_data(triager: Triager) -> None:
    result = triager.triage(
        mention("Congratulations you have WON a cash prize! Txt CLAIM to 07700 900999 now")
    )
    assert result.intent is Intent.SPAM
    assert Flag.PERSONAL_DATA not in result.flags


def test_out_of_hours_and_platform_flags(triager: Triager) -> None:
    sunday_night = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert Flag.OUT_OF_HOURS in flags_of(triager, "is the office open?", created_at=sunday_night)
    assert Flag.OUT_OF_HOURS not in flags_of(triager, "is the office open?")
    for platform in (Platform.FLICKR, Platform.YOUTUBE):
        flags = flags_of(triager, "lovely photo", platform=platform, kind=Kind.COMMENT)
        assert Flag.NO_REPLY_PLATFORM in flags
    assert Flag.NO_REPLY_PLATFORM not in flags_of(triager, "lovely photo")


@pytest.mark.parametrize(
    "text",
    [
        "sad to see the chippy on the high street closing down",
        "the kids have been off sick all week",
        "that film last night was trash tbh",
    ],
)
def test_words_that_insult_only_when_aimed_at_someone(triager: Triager, text: str) -> None:
    result = triager.triage(mention(text))
    assert result.intent is not Intent.ABUSE
    assert Flag.MODERATION not in result.flags


def test_an_insult_aimed_at_a_named_person_is_abuse(triager: Triager) -> None:
    result = triager.triage(mention("that receptionist at Sevenoaks is a nasty lying cow"))
    assert result.intent is Intent.ABUSE


@pytest.mark.parametrize(
    "text",
    [
        "RT @WestKentHA: Our Sevenoaks office is closed on Friday afternoon for training",
        "RT @KentPolice: A20 closed both ways at Larkfield after a collision",
    ],
)
def test_a_reshare_with_no_words_of_its_own_is_other(triager: Triager, text: str) -> None:
    assert triager.triage(mention(text)).intent is Intent.OTHER


def test_a_comment_before_a_reshare_is_still_read(triager: Triager) -> None:
    text = "are you open on Friday morning then? RT @WestKentHA: Sevenoaks office closed Friday"
    assert triager.triage(mention(text)).intent is not Intent.OTHER


def test_fire_safety_is_not_a_fire(triager: Triager) -> None:
    text = "what is your stance on fire safety inspections in the older blocks?"
    result = triager.triage(mention(text))
    assert result.intent is not Intent.EMERGENCY
    assert Flag.URGENT not in result.flags


def test_a_reporter_asking_for_comment_on_a_local_story_is_a_press_enquiry(
    triager: Triager,
) -> None:
    text = "I'm with the Weald Gazette, can anyone comment on the rubbish dumped behind Elm Court?"
    assert triager.triage(mention(text)).intent is Intent.PRESS_ENQUIRY


@pytest.mark.parametrize(
    "text",
    [
        "I am a UN doctor on a peacekeeping mission, please write to me, I have something important to tell you",
        "Kids scooter, barely used, £25 ono, collection only from Larkfield",
    ],
)
def test_romance_scams_and_items_for_sale_are_spam(triager: Triager, text: str) -> None:
    result = triager.triage(mention(text))
    assert result.intent is Intent.SPAM and Flag.MODERATION in result.flags


def test_a_threat_to_throw_a_brick_is_abuse(triager: Triager) -> None:
    result = triager.triage(mention("next time I see your van I'm chucking a brick through it"))
    assert result.intent is Intent.ABUSE and Flag.MODERATION in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "that receptionist wants a good slap",
        "she's only got the job because of her skin colour",
        "get ready, we're coming down your office tomorrow and it won't be pretty",
        "don't know how you sleep at night, you heartless monsters",
        "I'm going to find out where the manager lives and post it online",
        "d1ckheads the lot of ya",
        "go back to where you came from",
    ],
)
def test_abuse_without_swear_words_is_abuse(triager: Triager, text: str) -> None:
    result = triager.triage(mention(text))
    assert result.intent is Intent.ABUSE and Flag.MODERATION in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "my lad needs a good kick up the backside to get out of bed",
        "I was treated differently because of my skin colour and I want it looked into",
        "the weather this weekend won't be pretty, batten down the hatches",
        "the family next door keep telling my kids to go back where they came from",
    ],
)
def test_idioms_and_discrimination_complaints_are_not_abuse(
    triager: Triager, text: str
) -> None:
    assert triager.triage(mention(text)).intent is not Intent.ABUSE


def test_a_blogger_at_work_gets_comms(triager: Triager) -> None:
    text = "Hello, food blogger writing about community cafes in Kent, could I ask about yours?"
    assert Flag.COMMS in flags_of(triager, text)

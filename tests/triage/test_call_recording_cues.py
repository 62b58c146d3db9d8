"""The call-recording rules on their own: what raises the `call_recording` flag (and
`moderation`) whatever the model says. The CALL_RECORDING label's own patterns are
checked first; `decide.is_call_recording`, which reads them with the REC_* parts and
guards and is what the flag follows, after.

Written as new mentions (none is in the corpus or a probe set): a resident posting, or
threatening to post, a recording of a call with us, and everyday mentions of clips, tapes,
recordings and things heard that have nothing to do with a call with us, which must not
raise it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import Author, Flag, Intent, Kind, Mention, Platform
from bot.triage.decide import is_call_recording
from bot.triage.features import Featuriser
from bot.triage.pipeline import Triager


@pytest.mark.parametrize(
    "text",
    [
        "I recorded my phone call with your repairs team and it's going on Facebook tonight",
        "Here's the recording of my call with your housing officer, listen to how she speaks "
        "to me",
        "Posting the audio of my call to your contact centre so everyone can hear it",
        "I've got the whole call recorded, your advisor hung up on me twice",
        "I taped the conversation with your income officer and I'll be sharing it",
        "Listen to your advisor laughing at me in this call",
        "I'm putting the call recording on TikTok unless someone rings me back",
        "Uploaded my phone call with your complaints team to YouTube",
        "I have it all on tape, your manager promised me a new kitchen",
        "Hear your housing officer telling me to stop complaining, recording below",
    ],
)
def test_a_posted_call_with_us_is_a_call_recording(featuriser: Featuriser, text: str) -> None:
    assert featuriser.analyse(text).has("CALL_RECORDING")


@pytest.mark.parametrize(
    "text",
    [
        # Chats, clips and recordings of something else.
        "My daughter recorded the whole chat with her teacher for a project",
        "Here's a clip from my phone of the snow on the estate this morning",
        "We recorded the choir singing for the care home residents",
        "Have a listen to this clip of the brass band at the fun day",
        "The recording of the AGM is on our website if you missed it",
        "The burglar was caught on tape, the police said they'd be in touch",
        "Has anyone got a tape measure and a spirit level?",
        # Asking for a recording, or about ours, is not posting one.
        "Does anyone have a recording of the school nativity?",
        "Could you share the recording of the residents forum please?",
        "Was the meeting call recorded? I couldn't make the Teams session",
        "Calls are recorded for quality and training, the message says, for 40 minutes",
        "Please put the call through to the rent team",
        "Can't hear the audio on the video you posted, is there a transcript?",
        # Neighbours heard through the wall are antisocial behaviour.
        "I can hear the couple next door arguing every night",
        "Listen to the woman on the radio talking about damp, great advice",
    ],
)
def test_other_clips_tapes_and_voices_are_not(featuriser: Featuriser, text: str) -> None:
    assert not featuriser.analyse(text).has("CALL_RECORDING")


@pytest.mark.parametrize(
    "text",
    [
        # A recording word, a call with our staff or line, and posting it or a threat to.
        "Got the whole chat with your repairs hotline on my phone's recorder. Going up on Facebook tonight.",
        "Your rent advisor told me I was a 'nuisance caller'. I taped it. It's on TikTok now.",
        "10 mins of your contact centre putting me on hold then cutting me off, audio in the comments",
        "Listen to this clip: your income officer threatening me with eviction over £12. Recorded on speakerphone.",
        "I have an mp3 of my phone call with your tenancy officer and it's going on YouTube unless my damp is sorted",
        "Voice note of your out of hours line telling me a leaking ceiling isn't urgent. Posting it on the estate group.",
        "screen recorded the video call with your surveyor. uploading to insta later",
        "Everyone will hear how your complaints team spoke to my nan. I recorded the entire call.",
        "The conversation with @WestKentHA's lettings team is recorded and I'm sharing it on every local Facebook group",
        "Part 2 of me ringing West Kent about my boiler is up. Audio on my page.",
        "Have a listen to your manager laughing on the phone when I said my kids were cold. Recording below.",
        "I rang your repairs line and recorded the lot. Link in my bio, judge for yourselves.",
        "Made a recording of my call with the neighbourhood team. It goes online tomorrow if nobody rings me.",
        "Tape of the call to your housing team is on Nextdoor now. Hear them refuse to log my repair.",
        "Recorded the phone call with your caseworker on speaker, will be posting it publicly",
        "I taped you on the phone promising a new boiler. That tape is going viral if you go back on it.",
        "your staff on the phone were rude so I recorded them, clip is on my twitter",
        "Here's my convo with your complaints department, every word recorded, draw your own conclusions",
        "Sharing the audio from my call to your switchboard so people can hear how long it took to get through",
        "retweet pls: recording of West Kent's rent officer calling me a liar on the phone",
        "Recorded my call with your lettings officer and uploaded it, the whole estate has heard it now",
        "Just posted the audio of yesterday's phone call with your team. Bet you wish you'd been politer.",
        "I'll be publishing the tape of my call with your repairs staff on my blog tonight",
        "Put my call with you lot on YouTube. 52 minutes of being passed around, recorded every second.",
        "Recorded your call handler telling me to stop ringing. Going on my TikTok.",
        "I've got the audio of your officer saying the damp is my fault. Everyone on this estate will hear it.",
        "I'm uploading the phone call to YouTube, WKH. You've been warned.",
        "Next time I ring you I'm recording it and posting it for all to hear",
        "Just so you know I'll be recording our next call and putting it on the residents' page",
        "I've got the recording of the call and I'm sending it to the Kent Messenger and the BBC",
        "Recording of your advisor's rant dropping at 6pm",
        "I've got the audio of your officer calling my son a thug on the phone. Your move, West Kent.",
        "Skip to 4:15 to hear your rent advisor say I'm 'not a priority'. Full call recorded on my phone",
        "Every word your income officer said on the phone is going in the Swanley residents group chat",
        "recorded ur repairs line fobbing me off again, it's on my story",
        "Tweeting the clip of my call with the lettings team tonight, name and shame",
        "Rang my landlord West Kent, taped the lot. audio: youtube.com/watch?v=abc123",
        "Recorded my chat with your repairs team today. Uploading it now so people can hear the excuses",
    ],
)
def test_a_call_with_us_posted_in_any_words_is_a_call_recording(
    featuriser: Featuriser, text: str
) -> None:
    assert is_call_recording(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        # Asking for our recording, or whether and why we record calls.
        "Can I get a copy of the recording of my call last Monday? The advisor agreed a payment plan.",
        "How long do you keep call recordings? I want to request mine under GDPR",
        "Please can you check the call recording from Tuesday? Your advisor said the payment went through.",
        "Can I hear the recording of my call? Your advisor said a different date",
        "When I called your contact centre the automated voice said calls are recorded for training. Can I hear mine?",
        "Do you keep recordings of calls? Asking for a friend who's fighting you",
        "The repairs line message says calls are recorded, so you'll have proof I reported it in March",
        "Rang your contact centre to ask if calls are recorded. Apparently they are. Sharing in case anyone else wondered",
        "Do you record calls? Your advisor told me one thing and your letter says another, and I want everyone to know",
        "Is it legal for me to record calls with my housing officer?",
        "Are you allowed to share call recordings with my MP?",
        "Your officer asked if she could record our call for training, I said yes, no problem",
        "I'm a reporter at the Sevenoaks Chronicle: does West Kent record calls, and how long are recordings kept?",
        # Recording for one's own notes.
        "I'm recording my calls with you from now on, purely for my own records.",
        "I record every call with your office now, not going to post them anywhere, I just want proof.",
        "I record all calls with your team for my records, so nobody can say I didn't report it",
        "I have the call recorded on my phone if your complaints team want to hear it, happy to send it privately",
        # Recordings of something or someone else, or calls with someone else.
        "Recorded the drilling from upstairs at 3am, posting it on the residents group so people know",
        "I've recorded the banging from upstairs every night, your ASB officer says to keep a diary. Video on my story",
        "I recorded the water pouring through the ceiling and posted it so your repairs team can see",
        "I've recorded every leak since March and your repairs line keeps saying it's not urgent. Photos here imgur.com/a",
        "It's been leaking on my bed for a week, I recorded the dripping and your repairs line still won't come",
        "Recorded my call with British Gas and it's going on Facebook, 3 hours on hold",
        "Posting the recording of my call with the DWP, absolute joke",
        "The council recorded my call about parking and now it's going to tribunal unless they back down",
        "Our choir's carol concert recording is up on YouTube, thanks West Kent for the hall!",
        "Our choir recorded a song about West Kent's repairs line 😂 listen here youtu.be/xyz",
        "The CCTV recording from the bin store is on the estate Facebook page, does anyone know this man?",
        "We recorded a podcast with your housing officer about downsizing, episode out now, have a listen",
        "Listened to your webinar recording about the new repairs app, really helpful",
        "Our tenants' association recorded the AGM and shared it on Facebook",
        "Somebody recorded me on the bus and put it on TikTok, I'm mortified",
        "My neighbour keeps recording me through his doorbell camera and posting clips in the street WhatsApp",
        "Your voicemail says the office shuts at 4, but I rang at 3:30 and got the recorded message. Posting this so others know.",
        "Voicemail from your officer saying she'd visit Tuesday. She didn't. Posting it here: youtu.be/abc",
        "Your recorded message says press 1 for repairs. I pressed 1 and got cut off. Posting this as a complaint",
        "Download CallSaver, the free call recorder app that records all your calls automatically! callsaver.io",
        "Never miss a word! Record every call with your clients, auto-saved to the cloud. Free trial: callkeep.io",
        # Speakerphones and hold music are no recordings.
        "I put the phone on speaker so my carer could hear your officer, she'll post the letter tomorrow",
        "Your hold music is on my TikTok now, it's a banger",
    ],
)
def test_requests_private_recordings_and_other_recordings_are_not(
    featuriser: Featuriser, text: str
) -> None:
    assert not is_call_recording(featuriser.analyse(text))


def test_the_flags_and_the_intent_follow_the_detector(triager: Triager) -> None:
    # A posting threat that no CALL_RECORDING pattern words: the flags go on, and the
    # intent is what it is about, not `other`.
    posted = triager.triage(
        _mention("Part 2 of me ringing West Kent about my boiler is up. Audio on my page.")
    )
    assert {Flag.CALL_RECORDING, Flag.MODERATION} <= posted.flags
    assert posted.intent is not Intent.OTHER
    # A subject access request names call recordings but posts nothing.
    asked = triager.triage(
        _mention("I'd like to make a subject access request for my call recordings since March")
    )
    assert Flag.CALL_RECORDING not in asked.flags


def _mention(text: str) -> Mention:
    when = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
    return Mention("1", Platform.TWITTER, Kind.MENTION, Author("@someone"), text, when)

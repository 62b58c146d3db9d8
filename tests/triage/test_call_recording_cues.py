"""The call-recording rules on their own: what raises the `call_recording` flag (and
`moderation`) whatever the model says.

Written as new mentions (none is in the corpus): a resident posting, or threatening to
post, a recording of a call with us, and everyday mentions of clips, tapes, recordings and
things heard that have nothing to do with a call with us, which must not raise it.
"""

from __future__ import annotations

import pytest

from bot.triage.features import Featuriser


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

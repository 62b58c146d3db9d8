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
        # Journalists still caught with the narrowed rules: a self-ID plus an ask, an outlet
        # plus an ask.
        "I'm a freelance writer working on a piece about damp, could I have a comment?",
        "I'm a producer at BBC Radio Kent, could we interview someone tomorrow?",
        "I'm a researcher on a TV consumer show, would you give us a statement?",
        "producer on the Kent Sound breakfast show, can someone talk to us on Friday?",
        "Writing a story for the Kent Messenger on the lifts, can West Kent comment?",
        "I'm writing a news story for tomorrow about your rent rise, any comment?",
        "We're offering you a right to reply before we publish on Friday",
        "Right to reply: a tenant says she had no heating for a month",
        "Deadline tomorrow for a comment please, it's about the Swanley flats",
        "Deadline 4pm today: can you confirm the lift at Cedar House is fixed?",
        "Can you comment on the fire at Oak Court? The Sun",
        "The Times is running a piece on cladding, would you like to respond?",
        "Guardian here, could we get a comment on the evictions data?",
        "On behalf of the Daily Mail, could you comment on the Swanley demolition?",
        "On behalf of BBC South East, can we film at your Swanley estate?",
        "Can you send us a statement on the damp at Elm Court for our readers?",
        "I write for a housing blog, why did West Kent stop the caretaker service?",
        "Comms team contact please, it's for a story in Friday's paper",
        "I am a lecturer in housing studies preparing a case study on stock transfer",
        "Off the record, we've heard your chief executive is leaving, can you confirm?",
        "We're compiling figures for every housing association in Kent, can you help?",
        "I'm filming a documentary about damp in Kent homes, could we talk?",
        "Can you send me a statement on the damp at Elm Court by 4pm?",
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
        # Everyday words that share a journalist's (the comms audit, 2026-11-24).
        "I'm freelance so some months are tight, can I move my rent date?",
        "I'm a writer and I work from my kitchen table, is a desk in the lounge ok?",
        "I'm a local producer of jam, can I have a table at the summer fete?",
        "The presenter at the community awards was so funny",
        "the music producer on the top floor plays bass until 2am",
        "Read your press release about the new flats, how do I get on the list?",
        "Have I got a right to reply to the noise complaint about me?",
        "I want it on the record that I've rung about this damp five times",
        "Off the record, the plumber said the whole stack needs replacing, true?",
        "Our readers group meets in the community room on Tuesdays",
        "Writing a story for my granddaughter about the old estate",
        "I'm putting together a report of every time the lift broke this year",
        "I'm preparing a report for my GP about the mould in the kids room",
        "I'm filming the water coming through the ceiling so you can see",
        "we were filming the school play in the hall, thanks for the room",
        "On behalf of the Sunday knitting circle, thanks for the tea urn",
        "On behalf of the Daily Bread pantry, thanks to your staff",
        "The deadline is tomorrow for my bidding form, can I have more time?",
        "Deadline today for the residents survey, get your answers in!",
        "Will you be publishing this year's rent figures?",
        "I'm a lecturer and I get home late, can the engineer come after 5?",
        "Your staff photographer at the gala was lovely, where are the pictures?",
        "Can I get a quote for a new bathroom? I'm a leaseholder",
        "I'd love a quote for double glazing, we own our flat",
        "I have an interview today so can't be in for the plumber",
        "I had a job interview with the staff at the depot today!",
        "Any comment on my repair? It's been a month",
        "Here are some comments on the new garden plans",
        "Can you send me a statement please?",
        "Could you send me a statement for my solicitor please",
        "I'm waiting for the survey report from the damp man, any news?",
        "Still waiting in for my package from the office",
        "Got tickets for the panto show at the community centre!",
        "Saw on the evening news there's snow coming, will you be open?",
        "We are running the numbers for the tombola, winners on Friday",
        "Can you write this up in an email for me?",
        "lovely to see the sun out, any update on my repair report?",
        "Sorry for the slow reply, I was away the week before",
        "The vice chair of our tenants group wants a response about the swings",
        "I'm his legal guardian, can I talk to you about his repair report?",
        "I rang at the times on your website and got no response",
        "no BBC since the aerial broke, can I report it here?",
        "Any response on mum's application for the independent living flats?",
        "I'll report you to the housing watchdog if this isn't fixed",
        "Sevenoaks Chronicle subscriber here, loved the feature on your gardens",
    ],
)
def test_a_residents_own_statement_or_remark_is_not(featuriser: Featuriser, text: str) -> None:
    assert not is_press_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        # A heading or the whole message.
        "Press",
        "PRESS: could someone from comms ring me before 3",
        "Media - please call back re the Elm Court fire",
        # Who they write, film or photograph for.
        "camera crew from the Kent Gazette here, where can we park at the open day?",
        "Hi, photographer with the Weald Herald, could I get shots of the new bungalows?",
        "we're reporting on the planning row for Tuesday's bulletin, can anyone speak?",
        "I'm filming the ribbon cutting for the Swale Advertiser, what time is it?",
        "I run a community news page for Snodland, is the rumour about the garages true?",
        # The piece and the line they are waiting on.
        "our feature is published Saturday, can you check the figures we've got?",
        "the segment airs at 6, any statement for us before then?",
    ],
)
def test_press_headings_outlets_and_pieces_are_press_cues(
    featuriser: Featuriser, text: str
) -> None:
    assert is_press_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "press the button",
        "press 1 for repairs is not working",
        "Press and hold the reset button for 10 seconds, that's what the engineer said",
        "pressure on the boiler keeps dropping",
        "I'm covering for my sister while she's away, her boiler is leaking",
        "we go live on Friday with the fun day stream!",
        "we're running late for the fun day",
        "the photographer at the fun day was brilliant, thank you",
        "Are there any photos from the fun day for the newsletter?",
        "I've been reporting this leak for the last three months",
        "the report goes to the panel next week I think?",
        "watched the news and it's going to snow, are you open tomorrow?",
        "media room at the community centre is double booked",
    ],
)
def test_everyday_press_words_are_no_press_cue(featuriser: Featuriser, text: str) -> None:
    assert not is_press_cue(featuriser.analyse(text))

"""The spam rules on their own: what forces `spam` (and a hide) on a mention the model
reads as chatter. A `SPAM` or `SPAM_NUMBER` label does so alone; a `SPAM_WEAK` label
("claim your", "please DM him", "visit my") only with a link or a phone number.

Written as new mentions (none is in the corpus): residents' everyday posts that share a
phrase with spam (a survey prize draw, a rent rise of 50p a week, a stall at the fair),
which no rule may hide, and spam in the words spammers use, which must stay forced.
"""

from __future__ import annotations

import pytest

from bot.triage.decide import is_spam_cue
from bot.triage.features import Featuriser


@pytest.mark.parametrize(
    "text",
    [
        "Send me 0.1 BTC and I'll send 0.2 straight back, doubling all wallets tonight",
        "Double your money in a day, my account manager Mr Jones shows you how",
        "Congrats!! You've been picked, claim your free prize at bit.ly/3kQz",
        "WINNER! Your number won a £1500 cash prize, ring 09061702233 before midnight",
        "Naughty chat 24/7, only 60p/min, call now",
        "Hot girls waiting, text HOT to 89555",
        "sub4sub? I sub back straight away",
        "pls subscribe to my channel, new vid every day",
        "check out my new music video guys youtu.be/x1y2",
        "Forward this to 10 friends in the next hour or bad luck will follow you",
        "Share this to 7 people or you'll have bad luck all year",
        "Earn £400 a day from home, no experience needed",
        "Invest with Mrs Clarke, whatsapp her on +447700900456",
        "Please DM him now, he turned my £200 into £4000 https://wallet-grow.co/abc",
        "Lonely? Hot singles in your area want to chat, click here",
        "Selling my PS5, still boxed, £300 ono",
        "Follow my page for daily motivation and money tips",
        "Add me on WhatsApp so we can chat privately dear",
        "Free entry!! Win a weekend in Paris, enter at prize-now.biz",
        "Weight loss jabs, no prescription needed, DM me",
        "Hey hun, would you like to join my team? Earn from home with my skincare brand",
        "Hello dear, I am a US army nurse on a peacekeeping mission, I want to be your friend",
        "Your parcel is waiting, pay the £1.99 redelivery fee at parcel-redeliver.net",
        "sub for sub, I always sub back 🙏",
        "help me get to 1k subs this week",
    ],
)
def test_spam_is_still_forced(featuriser: Featuriser, text: str) -> None:
    assert is_spam_cue(featuriser.analyse(text))


@pytest.mark.parametrize(
    "text",
    [
        "My rent has gone up by 50p per week, is that right?",
        "our Jake came on as a sub and set up the winner",
        "the tenants association subs are going up to £2",
        "Does it cost 10p per minute to phone you from a mobile?",
        "My payment ref is 912345678, can you check it has gone through?",
        "The 08451234567 number on your letters no longer works",
        "Don't forget to claim your Warm Home Discount before March",
        "Brilliant news, you won a gold award in Kent in Bloom!",
        "Well done to the winner of the under 8s colouring competition",
        "Has anyone won the survey prize draw yet this year?",
        "How can I opt out of getting the newsletter by post?",
        "Some tips on how to make money go further over Christmas please",
        "We made £420 at the cake sale for the hospice!",
        "The cafe made a profit of 150 pounds for the food bank",
        "If anyone has found a brown purse please DM him, it's my dad's",
        "Please message her and say thanks from all of us at number 4",
        "Whatsapp me if you want to help at the litter pick on Sunday",
        "Thanks to the National Lottery Community Fund for our new benches",
        "Hit the jackpot with my new bathroom, thank you so much!",
        "The children made a pyramid of tins for the food bank",
        "Join my team for the Santa fun run on Sunday",
        "Free weight loss group at the community hall every Tuesday",
        "Free entry to the Christmas fair this Saturday",
        "Don't miss out on the carol singing on the green",
        "I will donate some books to the Christmas appeal",
        "Thanks, I'll forward this to my councillor",
        "I'll send this to our MP as well",
        "Bad luck to the under 10s on Saturday, they played so well",
        "Good luck Will on your retirement, we'll miss you",
        "Thank you for the 10 pound gift card for doing the survey",
        "When will I get my Tesco voucher for filling in the survey?",
        "We have an old wardrobe to give away if anyone wants it",
        "Energy bills doubling this winter, look after yourselves",
        "Double your layers tonight, it's going to freeze",
        "Discount tickets for residents at the pantomime!",
        "Anyone selling a cot? Ours has broken",
        "Is there no survey this year? I always do it",
        "Watch the video of the nursery nativity, so sweet",
        "Happy to put your poster up in my shop window",
        "I've put all the details on my page",
        "Come and visit my stall at the Christmas fair",
        "Check out my photos from the fun day!",
        "The fun day photos are on my Instagram",
        "Can you add me on to the residents association WhatsApp group?",
        "A courier left your parcel with me, I'm at number 9",
        "Is the loft insulation scheme government funded? Someone knocked today",
        "The council needs to act now on the potholes",
        "Every share helps find Milo, our lost ginger cat",
        "My son just got his CSCS card through your employment scheme, thanks!",
        "My grandad was in the US Army, stationed near Maidstone in the war",
    ],
)
def test_an_everyday_post_is_not_forced_to_spam(featuriser: Featuriser, text: str) -> None:
    assert not is_spam_cue(featuriser.analyse(text))

"""Every template renders on every platform we reply on, for every mix of wording flags."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from reply_support import FRIDAY_EVENING, KINDS_BY_PLATFORM, MentionFactory, triage

from bot.domain import Flag, Intent, Kind, Platform
from bot.reply import ReplyDrafter
from bot.reply.template_set import DRAFTED_INTENTS
from bot.reply.twitter_length import TWEET_LIMIT, weighted_length

WORDING_FLAGS = (Flag.OUT_OF_HOURS, Flag.PERSONAL_DATA, Flag.COMMS)
FLAG_SETS = [
    frozenset(chosen)
    for size in range(len(WORDING_FLAGS) + 1)
    for chosen in combinations(WORDING_FLAGS, size)
]


def _id(flags: frozenset[Flag]) -> str:
    return "+".join(sorted(f.value for f in flags)) or "no-flags"


@pytest.mark.parametrize("flags", FLAG_SETS, ids=_id)
@pytest.mark.parametrize("platform", [Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM])
@pytest.mark.parametrize("intent", DRAFTED_INTENTS, ids=lambda i: i.value)
def test_renders_cleanly(
    drafter: ReplyDrafter,
    make_mention: MentionFactory,
    intent: Intent,
    platform: Platform,
    flags: frozenset[Flag],
) -> None:
    for kind in KINDS_BY_PLATFORM[platform]:
        # The longest first name we use, so the X limit is proven for the worst case.
        mention = make_mention(
            platform=platform, kind=kind, created_at=FRIDAY_EVENING, name="Bartholomewster Smith"
        )
        draft = drafter.draft(mention, triage(intent, *flags))

        assert draft is not None
        assert draft.platform is platform
        assert draft.template in (f"{intent.value}.{platform.value}.j2", f"{intent.value}.j2")
        text = draft.text
        assert text.startswith("Hi Bartholomewster,")
        assert "{" not in text and "}" not in text
        assert "None" not in text and "  " not in text and "\n\n\n" not in text
        assert text == text.strip()
        # A link ends its paragraph: "…/complaints You can…" reads as a broken sentence.
        assert not re.search(r"https?://\S*[^\s.!?] [A-Z]", text), text
        if platform is Platform.TWITTER:
            assert weighted_length(text) <= TWEET_LIMIT, (draft.template, kind, text)


@pytest.mark.parametrize("intent", DRAFTED_INTENTS, ids=lambda i: i.value)
def test_x_gets_its_own_short_variant_where_there_is_one(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent
) -> None:
    on_x = drafter.draft(make_mention(platform=Platform.TWITTER), triage(intent))
    on_facebook = drafter.draft(make_mention(platform=Platform.FACEBOOK), triage(intent))
    assert on_x is not None and on_facebook is not None
    assert on_facebook.template == f"{intent.value}.j2"
    if on_x.template != on_facebook.template:
        assert on_x.template == f"{intent.value}.twitter.j2"
        assert len(on_x.text) < len(on_facebook.text)


def test_comms_flag_does_not_change_a_non_press_reply(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    mention = make_mention(platform=Platform.FACEBOOK, kind=Kind.COMMENT)
    plain = drafter.draft(mention, triage(Intent.REPAIR_REPORT))
    comms = drafter.draft(mention, triage(Intent.REPAIR_REPORT, Flag.COMMS))
    assert plain is not None and comms is not None
    assert comms.text == plain.text

"""Policy §3.1: no draft for abuse, spam or other, and none at all on Flickr or YouTube."""

from __future__ import annotations

import pytest
from reply_support import MentionFactory, triage

from bot.domain import Flag, Intent, Kind, Platform
from bot.reply import ReplyDrafter


@pytest.mark.parametrize("platform", [Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM])
@pytest.mark.parametrize("intent", [Intent.ABUSE, Intent.SPAM, Intent.OTHER])
def test_no_reply_to_abuse_spam_or_chatter(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent, platform: Platform
) -> None:
    mention = make_mention(platform=platform)
    assert drafter.draft(mention, triage(intent)) is None
    assert drafter.draft(mention, triage(intent, Flag.MODERATION, Flag.OUT_OF_HOURS)) is None


@pytest.mark.parametrize("platform", [Platform.FLICKR, Platform.YOUTUBE])
@pytest.mark.parametrize("intent", list(Intent), ids=lambda i: i.value)
def test_we_never_join_discussions_on_flickr_or_youtube(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent, platform: Platform
) -> None:
    mention = make_mention(platform=platform, kind=Kind.COMMENT)
    # Even if triage forgot the flag, the platform alone rules a reply out.
    assert drafter.draft(mention, triage(intent)) is None
    assert drafter.draft(mention, triage(intent, Flag.NO_REPLY_PLATFORM)) is None


def test_the_no_reply_platform_flag_alone_stops_a_draft(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    mention = make_mention(platform=Platform.TWITTER)
    assert drafter.draft(mention, triage(Intent.OPENING_HOURS)) is not None
    assert drafter.draft(mention, triage(Intent.OPENING_HOURS, Flag.NO_REPLY_PLATFORM)) is None

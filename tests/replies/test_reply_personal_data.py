"""A reply never repeats personal data and moves the conversation somewhere private."""

from __future__ import annotations

import pytest
from reply_support import KINDS_BY_PLATFORM, MentionFactory, triage

from bot.config import Settings
from bot.domain import Flag, Intent, Kind, Platform
from bot.reply import ReplyDrafter
from bot.reply.template_set import DRAFTED_INTENTS

PRIVATE_TEXT = (
    "My boiler is broken, call me on 07700 900123 or email sam.jones@example.com, "
    "tenancy ref WK-448812, 14 Oak Road, Tonbridge TN9 1AB"
)
SECRETS = (
    "07700",
    "900123",
    "07700900123",
    "sam.jones",
    "example.com",
    "448812",
    "Oak Road",
    "TN9",
)


@pytest.mark.parametrize("platform", [Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM])
@pytest.mark.parametrize("intent", DRAFTED_INTENTS, ids=lambda i: i.value)
def test_personal_data_is_never_echoed(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent, platform: Platform
) -> None:
    for kind in KINDS_BY_PLATFORM[platform]:
        for flags in ((Flag.PERSONAL_DATA,), (Flag.PERSONAL_DATA, Flag.OUT_OF_HOURS), ()):
            mention = make_mention(platform=platform, kind=kind, text=PRIVATE_TEXT)
            draft = drafter.draft(mention, triage(intent, *flags))
            assert draft is not None
            for secret in SECRETS:
                assert secret not in draft.text
            if flags:
                assert "not repeated" in draft.text


@pytest.mark.parametrize("intent", [i for i in DRAFTED_INTENTS if i is not Intent.EMERGENCY])
def test_public_posts_are_moved_to_a_private_channel(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings, intent: Intent
) -> None:
    def reply(platform: Platform, kind: Kind) -> str:
        mention = make_mention(platform=platform, kind=kind, text=PRIVATE_TEXT)
        draft = drafter.draft(mention, triage(intent, Flag.PERSONAL_DATA))
        assert draft is not None
        return draft.text

    assert "DM us" in reply(Platform.TWITTER, Kind.MENTION)
    assert "delete your post" not in reply(Platform.TWITTER, Kind.DM)
    assert "here in DMs" in reply(Platform.TWITTER, Kind.DM)
    assert "private message" in reply(Platform.FACEBOOK, Kind.COMMENT)
    assert "delete your comment" in reply(Platform.FACEBOOK, Kind.COMMENT)
    assert "here in this private message" in reply(Platform.FACEBOOK, Kind.DM)
    assert "here in this private chat" in reply(Platform.TELEGRAM, Kind.DM)
    assert settings.organisation.telegram_bot in reply(Platform.TELEGRAM, Kind.MENTION)


def test_an_emergency_with_personal_data_asks_for_a_call_not_a_chat(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings
) -> None:
    mention = make_mention(platform=Platform.FACEBOOK, kind=Kind.COMMENT, text=PRIVATE_TEXT)
    draft = drafter.draft(mention, triage(Intent.EMERGENCY, Flag.PERSONAL_DATA, Flag.URGENT))
    assert draft is not None
    assert "by phone" in draft.text
    assert settings.organisation.emergency_repairs_phone in draft.text


def test_without_the_flag_nothing_is_said_about_details(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    draft = drafter.draft(make_mention(), triage(Intent.RENT_PAYMENT))
    assert draft is not None
    assert "details" not in draft.text and "DM" not in draft.text


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("07700 900123", "sam_07700900123"),
        ("sam.jones@example.com", "447700900123"),
        ("TN9 1AB", "100004567890123"),
    ],
)
def test_a_display_name_or_handle_holding_data_is_not_used_to_greet(
    drafter: ReplyDrafter, make_mention: MentionFactory, name: str, handle: str
) -> None:
    for platform in (Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM):
        mention = make_mention(platform=platform, kind=Kind.DM, name=name, handle=handle)
        draft = drafter.draft(mention, triage(Intent.CONTACT_REQUEST))
        assert draft is not None
        assert draft.text.startswith("Hi there,")
        assert name not in draft.text and handle not in draft.text

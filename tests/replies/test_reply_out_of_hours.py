"""Out of hours, a reply says when we are next open (policy §2.2), never for an emergency."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from reply_support import FRIDAY_EVENING, IN_HOURS, LONDON, MentionFactory, triage

from bot.domain import Flag, Intent, Platform
from bot.reply import ReplyDrafter
from bot.reply.opening_text import clock_text, opening_text
from bot.reply.template_set import DRAFTED_INTENTS

ANSWERED_ON = [Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM]
NOT_EMERGENCIES = [i for i in DRAFTED_INTENTS if i is not Intent.EMERGENCY]


def _text(
    drafter: ReplyDrafter,
    make_mention: MentionFactory,
    intent: Intent,
    created_at: datetime,
    platform: Platform = Platform.TWITTER,
    now: datetime | None = None,
) -> str:
    mention = make_mention(platform=platform, created_at=created_at)
    draft = drafter.draft(mention, triage(intent, Flag.OUT_OF_HOURS), now=now)
    assert draft is not None
    return draft.text


@pytest.mark.parametrize("platform", ANSWERED_ON)
@pytest.mark.parametrize("intent", NOT_EMERGENCIES, ids=lambda i: i.value)
def test_friday_evening_says_9am_on_monday(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent, platform: Platform
) -> None:
    text = _text(drafter, make_mention, intent, platform=platform, created_at=FRIDAY_EVENING)
    assert "9am on Monday 18 May" in text


@pytest.mark.parametrize(
    ("arrived", "next_open"),
    [
        # Friday before the Spring bank holiday: Monday 25 May 2026 is closed.
        (datetime(2026, 5, 22, 18, 0, tzinfo=LONDON), "9am on Tuesday 26 May"),
        # On the bank holiday Monday itself, in what would be office hours.
        (datetime(2026, 5, 25, 10, 30, tzinfo=LONDON), "9am on Tuesday 26 May"),
        # Easter Monday, 6 April 2026.
        (datetime(2026, 4, 6, 12, 0, tzinfo=LONDON), "9am on Tuesday 7 April"),
        # Christmas Eve evening: Christmas, Boxing Day and the observed Boxing Day Monday off.
        (datetime(2026, 12, 24, 17, 0, tzinfo=LONDON), "9am on Tuesday 29 December"),
    ],
)
def test_bank_holidays_are_skipped(
    drafter: ReplyDrafter, make_mention: MentionFactory, arrived: datetime, next_open: str
) -> None:
    for platform in ANSWERED_ON:
        text = _text(
            drafter, make_mention, Intent.RENT_PAYMENT, platform=platform, created_at=arrived
        )
        assert next_open in text


def test_local_time_is_london_time_whatever_the_offset_given(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    # 16:30 UTC on a summer Friday is 17:30 BST: closed, back on Monday.
    arrived = datetime(2026, 7, 3, 16, 30, tzinfo=UTC)
    text = _text(drafter, make_mention, Intent.CONTACT_REQUEST, created_at=arrived)
    assert "9am on Monday 6 July" in text


def test_now_decides_when_given(drafter: ReplyDrafter, make_mention: MentionFactory) -> None:
    saturday = datetime(2026, 5, 23, 9, 0, tzinfo=LONDON)
    text = _text(
        drafter, make_mention, Intent.OPENING_HOURS, created_at=FRIDAY_EVENING, now=saturday
    )
    assert "9am on Tuesday 26 May" in text


def test_no_away_line_once_we_are_open_again(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    text = _text(
        drafter, make_mention, Intent.OPENING_HOURS, created_at=FRIDAY_EVENING, now=IN_HOURS
    )
    assert "back at" not in text


def test_no_away_line_without_the_flag(drafter: ReplyDrafter, make_mention: MentionFactory) -> None:
    mention = make_mention(created_at=FRIDAY_EVENING)
    draft = drafter.draft(mention, triage(Intent.OPENING_HOURS))
    assert draft is not None
    assert "back at" not in draft.text


def test_a_naive_now_is_refused(drafter: ReplyDrafter, make_mention: MentionFactory) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        drafter.draft(make_mention(), triage(Intent.OPENING_HOURS), now=datetime(2026, 5, 20, 11))


def test_an_emergency_out_of_hours_is_never_delayed(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    for platform in ANSWERED_ON:
        text = _text(
            drafter, make_mention, Intent.EMERGENCY, platform=platform, created_at=FRIDAY_EVENING
        )
        assert "Monday" not in text and "back at" not in text
        assert "don't wait" in text


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 5, 26, 9, 0, tzinfo=LONDON), "9am on Tuesday 26 May"),
        (datetime(2026, 9, 30, 9, 30, tzinfo=LONDON), "9:30am on Wednesday 30 September"),
        (datetime(2026, 1, 2, 12, 0, tzinfo=LONDON), "12pm on Friday 2 January"),
        (datetime(2026, 1, 2, 13, 5, tzinfo=LONDON), "1:05pm on Friday 2 January"),
    ],
)
def test_opening_text_is_uk_style(moment: datetime, expected: str) -> None:
    assert opening_text(moment) == expected


def test_midnight_is_12am() -> None:
    assert clock_text(time(0, 0)) == "12am"

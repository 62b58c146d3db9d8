from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.hours import is_out_of_hours, next_opening

LONDON = ZoneInfo("Europe/London")


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "out"),
    [
        (london(2026, 11, 18, 8, 59), True),
        (london(2026, 11, 18, 9, 0), False),
        (london(2026, 11, 18, 16, 59), False),
        (london(2026, 11, 18, 17, 0), True),
        (london(2026, 11, 21, 12, 0), True),  # Saturday
        (london(2026, 11, 22, 12, 0), True),  # Sunday
    ],
)
def test_office_hours_edges(settings: Settings, moment: datetime, out: bool) -> None:
    assert is_out_of_hours(moment, settings.hours) is out


def test_summer_time_is_local_time(settings: Settings) -> None:
    # In BST 08:30 UTC is 09:30 in London (open) and 16:30 UTC is 17:30 (closed).
    assert not is_out_of_hours(datetime(2026, 7, 1, 8, 30, tzinfo=UTC), settings.hours)
    assert is_out_of_hours(datetime(2026, 7, 1, 16, 30, tzinfo=UTC), settings.hours)
    # In GMT the same UTC times are 08:30 (closed) and 16:30 (open).
    assert is_out_of_hours(datetime(2026, 1, 7, 8, 30, tzinfo=UTC), settings.hours)
    assert not is_out_of_hours(datetime(2026, 1, 7, 16, 30, tzinfo=UTC), settings.hours)


def test_both_sides_of_the_clock_changes(settings: Settings) -> None:
    # Clocks go forward on Sunday 29 March 2026: Friday before is GMT, Monday after is BST.
    assert is_out_of_hours(datetime(2026, 3, 27, 8, 30, tzinfo=UTC), settings.hours)
    assert not is_out_of_hours(datetime(2026, 3, 30, 8, 30, tzinfo=UTC), settings.hours)
    # Clocks go back on Sunday 25 October 2026: Friday before is BST, Monday after is GMT.
    assert is_out_of_hours(datetime(2026, 10, 23, 16, 30, tzinfo=UTC), settings.hours)
    assert not is_out_of_hours(datetime(2026, 10, 26, 16, 30, tzinfo=UTC), settings.hours)


def test_english_bank_holiday_is_closed(settings: Settings) -> None:
    assert is_out_of_hours(london(2026, 8, 31, 11, 0), settings.hours)  # late summer, England


def test_scotland_only_holiday_is_open_in_england(settings: Settings) -> None:
    # St Andrew's Day (Mon 30 Nov 2026) and Scotland's 3 Aug summer holiday are not English.
    assert not is_out_of_hours(london(2026, 11, 30, 11, 0), settings.hours)
    assert not is_out_of_hours(london(2026, 8, 3, 11, 0), settings.hours)


def test_next_opening(settings: Settings) -> None:
    friday_evening = london(2026, 5, 22, 18, 0)
    # Monday 25 May 2026 is the spring bank holiday, so we next open on Tuesday.
    assert next_opening(friday_evening, settings.hours) == london(2026, 5, 26, 9, 0)
    early = london(2026, 11, 18, 7, 0)
    assert next_opening(early, settings.hours) == london(2026, 11, 18, 9, 0)
    inside = london(2026, 11, 18, 10, 0)
    assert next_opening(inside, settings.hours) == inside


def test_naive_moments_are_refused(settings: Settings) -> None:
    with pytest.raises(ValueError):
        is_out_of_hours(datetime(2026, 11, 18, 10, 0), settings.hours)

"""Office hours: whether a moment is out of hours, and when we next open.

Policy §2.2: accounts are monitored 9am–5pm UK time, Monday to Friday. 09:00 is inside,
17:00 is outside, in Europe/London local time (so BST is handled by the zone, not by us),
and bank holidays come from the `holidays` package for the configured country/subdivision.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from bot.config import OfficeHours


@lru_cache(maxsize=32)
def _holiday_calendar(country: str, subdiv: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdiv or None)


def is_holiday(day: date, hours: OfficeHours) -> bool:
    return day in _holiday_calendar(hours.holidays_country, hours.holidays_subdiv)


def is_working_day(day: date, hours: OfficeHours) -> bool:
    return day.weekday() in hours.days and not is_holiday(day, hours)


def is_out_of_hours(moment: datetime, hours: OfficeHours) -> bool:
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(hours.timezone)
    if not is_working_day(local.date(), hours):
        return True
    clock = local.time().replace(tzinfo=None)
    return not (hours.opens <= clock < hours.closes)


def next_opening(moment: datetime, hours: OfficeHours) -> datetime:
    """The next moment at or after ``moment`` when the office is open, in local time."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(hours.timezone)
    if not is_out_of_hours(local, hours):
        return local
    day = local.date()
    if local.time().replace(tzinfo=None) >= hours.opens:
        day += timedelta(days=1)
    # A year of closed days in a row cannot happen with a sane config; bound the loop anyway.
    for _ in range(366):
        if is_working_day(day, hours):
            return datetime.combine(day, hours.opens, tzinfo=hours.timezone)
        day += timedelta(days=1)
    raise ValueError("no working day within a year: check hours.days")

"""When we next open, in the words a UK reader expects: "9am on Monday 25 May".

Never "tomorrow" or "today": the reader may be in another time zone, or read it later.
"""

from __future__ import annotations

from datetime import datetime, time

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def clock_text(moment: time) -> str:
    """9am, 9:30am, 12pm (noon), 12am (midnight)."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def opening_text(moment: datetime) -> str:
    """``moment`` in its own (office) time zone, e.g. '9am on Tuesday 26 May'."""
    day = f"{_WEEKDAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
    return f"{clock_text(moment.time())} on {day}"

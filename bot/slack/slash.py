"""``/socialbot``: event cover and today's figures.

    /socialbot cover on "Storm Bert" until 22:00
    /socialbot cover off
    /socialbot cover status
    /socialbot stats

Cover (policy §2.2: accounts are sometimes covered out of hours for specific events): the
person who turns it on is pinged by every out-of-hours card until it ends; without an
``until`` it lasts until the next opening time.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.config import OfficeHours
from bot.errors import InputError, NotAllowed
from bot.hours import is_out_of_hours, next_opening
from bot.review.service import Role
from bot.slack.cards import render_note
from bot.slack.home import counts_text, cover_text
from bot.slack.mrkdwn import escape, user, when
from bot.slack.services import SlackServices

USAGE = (
    "*/socialbot* commands:\n"
    '• `/socialbot cover on "Storm Bert" until 22:00`: you take out-of-hours cover '
    "(without `until`: until we next open)\n"
    "• `/socialbot cover off`: end cover\n"
    "• `/socialbot cover status`: who is on cover\n"
    "• `/socialbot stats`: today's mentions by intent"
)

#: Slack clients turn "quotes" into “quotes”; shlex only knows the plain ones.
_SMART_QUOTES = str.maketrans("“”‘’", "\"\"''")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


@dataclass(frozen=True)
class CoverOn:
    label: str
    until: time | None


@dataclass(frozen=True)
class CoverOff:
    pass


@dataclass(frozen=True)
class CoverStatus:
    pass


@dataclass(frozen=True)
class Stats:
    pass


@dataclass(frozen=True)
class Help:
    problem: str = ""


Command = CoverOn | CoverOff | CoverStatus | Stats | Help


def parse_command(text: str) -> Command:
    """What ``/socialbot <text>`` asks for; Help (with the problem) when it cannot tell."""
    text = text.strip().translate(_SMART_QUOTES)
    try:
        words = shlex.split(text)
    except ValueError:
        return Help("A quote is not closed.")
    if not words or words[0].lower() == "help":
        return Help()
    head = words[0].lower()
    if head == "stats":
        return Stats()
    if head != "cover":
        return Help(f"I don't know `{escape(words[0])}`.")
    sub = words[1].lower() if len(words) > 1 else "status"
    if sub == "off":
        return CoverOff()
    if sub == "status":
        return CoverStatus()
    if sub != "on":
        return Help(f"`cover {escape(sub)}`: use `cover on`, `cover off` or `cover status`.")
    rest = words[2:]
    lowered = [w.lower() for w in rest]
    until: time | None = None
    if "until" in lowered:
        at = len(lowered) - 1 - lowered[::-1].index("until")
        try:
            until = parse_clock(" ".join(rest[at + 1 :]))
        except InputError as exc:
            return Help(exc.user_message())
        rest = rest[:at]
    return CoverOn(" ".join(rest).strip(), until)


def parse_clock(text: str) -> time:
    """'22:00', '22.00', '22', '10pm', '10:30 pm' → a time of day."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise InputError(f"`{escape(text) or '(nothing)'}` is not a time like 22:00.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise InputError(f"`{escape(text)}` is not a time like 10pm.")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InputError(f"`{escape(text)}` is not a time like 22:00.")
    return time(hour, minute)


def cover_until(now: datetime, until: time | None, hours: OfficeHours) -> datetime:
    """When cover asked for at ``now`` ends: the next ``until`` o'clock, else next opening."""
    local = now.astimezone(hours.timezone)
    if until is not None:
        end = datetime.combine(local.date(), until, tzinfo=hours.timezone)
        return end if end > local else end + timedelta(days=1)
    if not is_out_of_hours(local, hours):
        # Asked in office hours: cover tonight, until we open again.
        local = datetime.combine(local.date(), hours.closes, tzinfo=hours.timezone)
    return next_opening(local, hours)


def run_command(services: SlackServices, who: str, text: str) -> str:
    """Carry out ``/socialbot <text>`` for ``who``; returns the (mrkdwn) answer for them."""
    command = parse_command(text)
    store, tz = services.store, services.tz
    now = services.clock()
    match command:
        case Help(problem):
            return f"{problem}\n\n{USAGE}" if problem else USAGE
        case Stats():
            counts = store.counts_by_intent(now.astimezone(tz).date(), tz)
            waiting = len(store.review_queue(limit=1000))
            return f"{counts_text(counts)}\n\n*{waiting}* waiting for review now."
        case CoverStatus():
            return cover_text(store.get_cover(), tz)
        case CoverOff():
            try:
                services.permissions.require(who, Role.APPROVER)
            except NotAllowed as exc:
                return exc.user_message()
            cover = store.get_cover()
            store.clear_cover()
            if cover is None:
                return "Nobody was on cover."
            _announce(services, f"🌙 Cover ended by {user(who)}.")
            return f"Cover ended ({user(cover.who)} was on cover)."
        case CoverOn(label, until):
            try:
                services.permissions.require(who, Role.APPROVER)
            except NotAllowed as exc:
                return exc.user_message()
            end = cover_until(now, until, services.settings.hours)
            cover = store.set_cover(who, label, end)
            _announce(services, cover_text(cover, tz))
            # Cards held for the morning are due now that somebody is watching.
            services.desk.sweep()
            return f"You are on cover until {when(end.astimezone(tz))}. " \
                "Out-of-hours cards will ping you."
    return USAGE


def _announce(services: SlackServices, text: str) -> None:
    """Tell the inbox channel, so the team knows who is watching."""
    services.desk.announce(services.settings.slack.inbox_channel, render_note(text, "Cover"))

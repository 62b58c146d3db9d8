"""Where a mention's card goes, whom it pings, and whether it goes now or at opening time.

Pure: the caller passes the time, whether that time is out of hours, and the cover.

- Every card goes to the inbox channel; that copy is the primary review card.
- Comms items (press enquiries, policy questions, the comms flag, or escalated) also go to the
  Communications Team's channel, pinging the team's user group.
- Urgent items also go to the urgent channel at once, whatever the time, pinging whoever is
  on cover; out of hours also the cover rota, in hours the approvers.
- Moderation items (abuse, spam, the moderation flag) also go to the moderation channel,
  when one is configured.
- Out of hours, while somebody is on cover, every card pings them. With nobody on cover,
  cards wait for the next opening time, except urgent ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import SlackRouting
from bot.domain import Flag
from bot.review.service import needs_comms, needs_moderation
from bot.slack.mrkdwn import user, usergroup
from bot.store.records import Cover, MentionRecord


@dataclass(frozen=True)
class Route:
    """One message to post for a mention."""

    channel: str
    primary: bool  # the review card (inbox) rather than a copy
    pings: tuple[str, ...] = ()  # mrkdwn mentions, e.g. '<@U1>', '<!subteam^S1>'

    @property
    def alert(self) -> str:
        return " ".join(self.pings)


@dataclass(frozen=True)
class Plan:
    """The routes for a mention, and whether they are due now (False: wait for opening)."""

    routes: tuple[Route, ...]
    due: bool


def plan_routes(
    record: MentionRecord,
    routing: SlackRouting,
    *,
    out_of_hours: bool,
    cover: Cover | None,
) -> Plan:
    triage = record.triage
    urgent = triage is not None and triage.has(Flag.URGENT)
    moderation = needs_moderation(record)
    cover_ping = (user(cover.who),) if cover is not None else ()
    wanted: list[Route] = []

    inbox_pings: tuple[str, ...] = cover_ping if out_of_hours else ()
    wanted.append(Route(routing.inbox_channel, True, inbox_pings))
    if needs_comms(record) and routing.comms_channel:
        wanted.append(Route(routing.comms_channel, False, (usergroup(routing.comms_usergroup),)))
    if urgent:
        if out_of_hours:
            urgent_pings = cover_ping + tuple(user(u) for u in routing.cover_rota)
        else:
            urgent_pings = cover_ping or (usergroup(routing.approvers_usergroup),)
        wanted.append(Route(routing.urgent_channel or routing.inbox_channel, False, urgent_pings))
    if moderation and routing.moderation_channel:
        wanted.append(Route(routing.moderation_channel, False))

    due = urgent or not out_of_hours or cover is not None
    return Plan(_merge(wanted), due)


def _merge(routes: list[Route]) -> tuple[Route, ...]:
    """One message per channel: routes to the same channel share it and all its pings."""
    merged: dict[str, Route] = {}
    for route in routes:
        seen = merged.get(route.channel)
        if seen is None:
            merged[route.channel] = route
            continue
        pings = seen.pings + tuple(p for p in route.pings if p not in seen.pings)
        merged[route.channel] = Route(route.channel, seen.primary or route.primary, pings)
    return tuple(merged.values())

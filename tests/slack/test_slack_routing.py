"""Where cards go and whom they ping: comms, urgent, moderation, out of hours and cover."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from slack_rig import (
    APPROVER,
    COMMS_CHANNEL,
    INBOX,
    MODERATION_CHANNEL,
    OUT_OF_HOURS,
    URGENT_CHANNEL,
    Rig,
    add_mention,
    settings,
)

from bot.domain import Author, Flag, Intent, Kind, Mention, Platform, Triage
from bot.review.states import ReviewState
from bot.slack.routing import Route, plan_routes
from bot.store.records import Cover, MentionRecord

ROTA = "<@U0ONCALL1> <@U0ONCALL2>"


def _urgent(rig: Rig) -> tuple[str, str, str]:
    return add_mention(
        rig.store,
        intent=Intent.EMERGENCY,
        flags=(Flag.URGENT,),
        text="I can smell gas in the stairwell at Oak House",
        draft="Please leave the building and call the gas emergency line on 0800 111 999.",
        created_at=rig.clock.now - timedelta(minutes=1),
    )


def test_urgent_in_hours_alerts_the_approvers_in_the_urgent_channel(rig: Rig) -> None:
    key = _urgent(rig)
    inbox = rig.publish(key)

    (alert,) = rig.fake.messages_in(URGENT_CHANNEL)
    assert alert.text.startswith("<!subteam^S0APPROVERS>")
    assert "Emergency" in alert.text
    assert not inbox.text.startswith("<")  # the inbox copy pings nobody in hours
    assert {c.channel: c.primary for c in rig.store.cards(key)} == {
        INBOX: True, URGENT_CHANNEL: False,
    }


def test_urgent_out_of_hours_pings_the_rota_even_without_cover(rig: Rig) -> None:
    rig.clock.now = OUT_OF_HOURS
    key = _urgent(rig)
    rig.publish(key)

    (alert,) = rig.fake.messages_in(URGENT_CHANNEL)
    assert alert.text.startswith(ROTA)


def test_out_of_hours_cards_wait_for_opening_time_without_cover(rig: Rig) -> None:
    rig.clock.now = OUT_OF_HOURS  # Tuesday 20:00
    key = add_mention(rig.store, created_at=OUT_OF_HOURS, flags=(Flag.OUT_OF_HOURS,))

    rig.bot.desk.publish(key)
    rig.bot.desk.sweep()
    rig.settle()
    assert rig.fake.messages_in(INBOX) == []
    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]

    rig.clock.now = datetime(2024, 11, 13, 9, 0, tzinfo=UTC)  # Wednesday, opening time
    rig.bot.desk.sweep()
    rig.settle()
    (card,) = rig.fake.messages_in(INBOX)
    assert "Out of hours" in str(card.blocks)
    assert not card.text.startswith("<")  # nobody is pinged for it in the morning


def test_cover_posts_held_cards_at_once_and_they_ping_the_cover(rig: Rig) -> None:
    rig.clock.now = OUT_OF_HOURS
    held = add_mention(rig.store, created_at=OUT_OF_HOURS, flags=(Flag.OUT_OF_HOURS,))
    rig.bot.desk.publish(held)
    rig.settle()
    assert rig.store.card(held) is None

    rig.slack.command('cover on "Storm Bert" until 23:00', user=APPROVER)
    rig.settle()

    card = rig.card(held)
    assert card.text.startswith(f"<@{APPROVER}>")
    urgent = _urgent(rig)
    rig.publish(urgent)
    (alert,) = rig.fake.messages_in(URGENT_CHANNEL)
    assert alert.text.startswith(f"<@{APPROVER}> {ROTA}")
    assert rig.card(urgent).text.startswith(f"<@{APPROVER}>")


def test_comms_and_moderation_copies() -> None:
    config = settings()
    routing = config.slack
    press = _record(Intent.PRESS_ENQUIRY, frozenset({Flag.COMMS}))
    abuse = _record(Intent.ABUSE, frozenset({Flag.MODERATION}))

    assert plan_routes(press, routing, out_of_hours=False, cover=None).routes == (
        Route(INBOX, True),
        Route(COMMS_CHANNEL, False, ("<!subteam^S0COMMS>",)),
    )
    assert plan_routes(abuse, routing, out_of_hours=False, cover=None).routes == (
        Route(INBOX, True),
        Route(MODERATION_CHANNEL, False),
    )
    no_moderation_channel = replace(routing, moderation_channel="")
    assert plan_routes(abuse, no_moderation_channel, out_of_hours=False,
                       cover=None).routes == (Route(INBOX, True),)


def test_routes_to_one_channel_share_one_message() -> None:
    routing = replace(settings().slack, urgent_channel=INBOX)
    urgent = _record(Intent.EMERGENCY, frozenset({Flag.URGENT}))
    cover = Cover("UCOVER", "", OUT_OF_HOURS + timedelta(hours=2), OUT_OF_HOURS)

    plan = plan_routes(urgent, routing, out_of_hours=True, cover=cover)

    assert plan.due
    assert plan.routes == (
        Route(INBOX, True, ("<@UCOVER>", "<@U0ONCALL1>", "<@U0ONCALL2>")),
    )


def _record(intent: Intent, flags: frozenset[Flag]) -> MentionRecord:
    mention = Mention("1", Platform.TWITTER, Kind.MENTION, Author("a"), "text", OUT_OF_HOURS)
    return MentionRecord(mention, ReviewState.QUEUED_FOR_REVIEW, Triage(intent, 0.9, flags),
                         None, OUT_OF_HOURS, OUT_OF_HOURS)

"""/socialbot: cover on / off / status and stats, as form-encoded slash commands."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from slack_rig import APPROVER, INBOX, OUT_OF_HOURS, OUTSIDER, Rig, add_mention, settings

from bot.domain import Intent
from bot.slack.slash import (
    CoverOff,
    CoverOn,
    CoverStatus,
    Help,
    Stats,
    cover_until,
    parse_clock,
    parse_command,
)


def _answers(rig: Rig) -> list[str]:
    return [str(r.get("text", "")) for r in rig.fake.responses]


def test_cover_on_until_a_time_tonight(rig: Rig) -> None:
    rig.clock.now = OUT_OF_HOURS  # 20:00 in London

    response = rig.slack.command('cover on "Storm Bert" until 22:00', user=APPROVER)
    rig.settle()

    assert response.status_code == 200
    cover = rig.store.get_cover()
    assert cover is not None and cover.who == APPROVER and cover.label == "Storm Bert"
    assert cover.until == datetime(2024, 11, 12, 22, 0, tzinfo=UTC)
    (answer,) = rig.fake.responses
    assert answer["response_type"] == "ephemeral"
    assert "You are on cover until Tue 12 Nov, 22:00" in answer["text"]
    (announcement,) = rig.fake.messages_in(INBOX)
    assert f"<@{APPROVER}> is on cover for *Storm Bert*" in str(announcement.blocks)


def test_cover_status_and_off(rig: Rig) -> None:
    rig.clock.now = OUT_OF_HOURS
    rig.slack.command("cover on Storm Bert", user=APPROVER)  # no quotes, no until
    rig.settle()
    cover = rig.store.get_cover()
    assert cover is not None and cover.label == "Storm Bert"
    assert cover.until == datetime(2024, 11, 13, 9, 0, tzinfo=UTC)  # next opening

    rig.slack.command("cover status", user=OUTSIDER)  # anyone may ask
    rig.slack.command("cover off", user=OUTSIDER)  # but not end it
    rig.settle()
    assert rig.store.get_cover() is not None

    rig.slack.command("cover off", user=APPROVER)
    rig.settle()
    assert rig.store.get_cover() is None
    answers = _answers(rig)
    assert any(f"<@{APPROVER}> is on cover" in a for a in answers)
    assert any("Only members of the approvers" in a for a in answers)
    assert any("Cover ended" in a for a in answers)


def test_somebody_outside_the_approvers_cannot_take_cover(rig: Rig) -> None:
    rig.slack.command('cover on "Storm Bert"', user=OUTSIDER)
    rig.settle()

    assert rig.store.get_cover() is None
    assert "Only members of the approvers" in _answers(rig)[0]


def test_stats_counts_today_by_intent(rig: Rig) -> None:
    for _ in range(3):
        add_mention(rig.store, intent=Intent.REPAIR_REPORT)
    add_mention(rig.store, intent=Intent.COMPLAINT)
    rig.bot.desk.sweep()
    rig.settle()

    rig.slack.command("stats", user=OUTSIDER)
    rig.settle()

    (answer,) = _answers(rig)
    assert "*4* mentions today" in answer
    assert "Repair report: *3*" in answer and "Complaint: *1*" in answer
    assert "*4* waiting for review now" in answer


def test_a_retried_command_runs_once(rig: Rig) -> None:
    rig.slack.command("stats", user=APPROVER, trigger_id="1.2.same")
    rig.slack.command("stats", user=APPROVER, trigger_id="1.2.same", retry_num=1)
    rig.settle()

    assert len(rig.fake.responses) == 1


def test_unknown_commands_get_the_usage(rig: Rig) -> None:
    rig.slack.command("dance", user=APPROVER)
    rig.settle()

    (answer,) = _answers(rig)
    assert "I don't know `dance`" in answer and "/socialbot cover on" in answer


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ('cover on "Storm Bert" until 22:00', CoverOn("Storm Bert", time(22, 0))),
        ("cover on “Storm Bert” until 10pm", CoverOn("Storm Bert", time(22, 0))),
        ("cover on until 9.30am", CoverOn("", time(9, 30))),
        ("cover on Christmas cover", CoverOn("Christmas cover", None)),
        ("COVER OFF", CoverOff()),
        ("cover", CoverStatus()),
        ("cover status", CoverStatus()),
        ("stats", Stats()),
        ("", Help()),
        ('cover on "Storm', Help("A quote is not closed.")),
        ("cover on x until 25:00", Help("`25:00` is not a time like 22:00.")),
    ],
)
def test_parse_command(text: str, command: object) -> None:
    assert parse_command(text) == command


def test_clock_words() -> None:
    assert parse_clock("12am") == time(0, 0)
    assert parse_clock("12:15pm") == time(12, 15)
    assert parse_clock("7") == time(7, 0)


def test_cover_until_a_time_already_past_means_tomorrow() -> None:
    hours = settings().hours
    at_2300 = datetime(2024, 11, 12, 23, 0, tzinfo=UTC)
    assert cover_until(at_2300, time(22, 0), hours) == datetime(2024, 11, 13, 22, 0, tzinfo=UTC)
    friday_afternoon = datetime(2024, 11, 15, 14, 0, tzinfo=UTC)
    monday_opening = datetime(2024, 11, 18, 9, 0, tzinfo=UTC)
    assert cover_until(friday_afternoon, None, hours) == monday_opening

"""Mentions with no draft: hide / remove / leave, or no reply needed; read-only platforms."""

from __future__ import annotations

import pytest
from slack_rig import (
    APPROVER,
    INBOX,
    MODERATION_CHANNEL,
    OUTSIDER,
    Rig,
    action_ids,
    add_mention,
    message_text,
)

from bot.domain import Flag, Intent, Platform
from bot.review.states import ModerationAction, ReviewState
from bot.store.records import OutboxAction

HIDE, REMOVE, LEAVE = "socialbot.hide", "socialbot.remove", "socialbot.leave"
NO_REPLY, EDIT, APPROVE = "socialbot.no_reply", "socialbot.edit", "socialbot.approve"


def _abuse(rig: Rig, platform: Platform = Platform.FACEBOOK) -> tuple[str, str, str]:
    return add_mention(
        rig.store,
        intent=Intent.ABUSE,
        flags=(Flag.MODERATION,),
        platform=platform,
        text="You lot are useless idiots",
        draft=None,
    )


def test_abuse_shows_the_moderation_choices_and_no_reply_buttons(rig: Rig) -> None:
    card = rig.publish(_abuse(rig))

    assert action_ids(card) == [HIDE, REMOVE, LEAVE]
    assert "looks like abuse" in message_text(card)
    (copy,) = rig.fake.messages_in(MODERATION_CHANNEL)
    assert action_ids(copy) == [HIDE, REMOVE, LEAVE]


def test_hide_records_the_decision_and_puts_a_hide_in_the_outbox(rig: Rig) -> None:
    key = _abuse(rig)
    card = rig.publish(key)

    rig.click(card, HIDE, APPROVER)
    rig.settle()

    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.MODERATED
    assert record.moderation is ModerationAction.HIDE
    assert [o.action for o in rig.store.outbox_for(key)] == [OutboxAction.HIDE]
    for ref in rig.store.cards(key):
        shown = rig.fake.message(ref.channel, ref.ts)
        assert action_ids(shown) == []
        assert f"Hidden by <@{APPROVER}>" in message_text(shown)


@pytest.mark.parametrize(
    ("action", "expected"),
    [(REMOVE, ModerationAction.REMOVE), (LEAVE, ModerationAction.LEAVE)],
)
def test_remove_and_leave_are_recorded_only(
    rig: Rig, action: str, expected: ModerationAction
) -> None:
    key = _abuse(rig)
    card = rig.publish(key)

    rig.click(card, action, APPROVER)
    rig.settle()

    record = rig.store.get(key)
    assert record is not None and record.moderation is expected
    assert rig.store.outbox_for(key) == []


def test_only_approvers_moderate(rig: Rig) -> None:
    key = _abuse(rig)
    card = rig.publish(key)

    rig.click(card, HIDE, OUTSIDER)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []
    assert [e["user"] for e in rig.fake.ephemerals] == [OUTSIDER]


def test_other_offers_no_reply_needed(rig: Rig) -> None:
    key = add_mention(rig.store, intent=Intent.OTHER, text="Lovely weather in Sevenoaks",
                      draft=None)
    card = rig.publish(key)
    assert action_ids(card) == [NO_REPLY, EDIT]
    assert rig.fake.messages_in(MODERATION_CHANNEL) == []

    rig.click(card, NO_REPLY, APPROVER)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.IGNORED  # type: ignore[union-attr]
    assert "No reply needed" in message_text(rig.card(key))


def test_a_reply_can_still_be_written_when_none_was_suggested(rig: Rig) -> None:
    key = add_mention(rig.store, intent=Intent.OTHER, text="Do you have a lost property desk?",
                      draft=None)
    card = rig.publish(key)

    view = rig.open_dialog(card, EDIT, APPROVER)
    assert "initial_value" not in view["blocks"][1]["element"]
    rig.slack.submit(view, {"reply": {"text": "Yes: ask at reception."}}, user=APPROVER)
    rig.settle()

    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.EDITED
    assert [o.text for o in rig.store.outbox_for(key)] == ["Yes: ask at reception."]


@pytest.mark.parametrize("platform", [Platform.FLICKR, Platform.YOUTUBE])
def test_read_only_platforms_never_get_reply_buttons(rig: Rig, platform: Platform) -> None:
    chatter = add_mention(rig.store, intent=Intent.FEEDBACK_THANKS, platform=platform,
                          flags=(Flag.NO_REPLY_PLATFORM,), text="Great photos!", draft=None)
    spam = add_mention(rig.store, intent=Intent.SPAM, platform=platform,
                       flags=(Flag.NO_REPLY_PLATFORM, Flag.MODERATION),
                       text="Cheap followers at spam.example", draft=None)

    assert action_ids(rig.publish(chatter)) == [NO_REPLY]
    assert action_ids(rig.publish(spam)) == [REMOVE, LEAVE]  # we cannot hide it for them
    for key in (chatter, spam):
        assert "do not join discussions" in message_text(rig.card(key))
        assert rig.store.card(key).channel == INBOX  # type: ignore[union-attr]

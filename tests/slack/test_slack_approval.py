"""Approve, edit, reject, escalate: the real Bolt app over HTTP, signed as Slack signs."""

from __future__ import annotations

import json
import threading

from slack_rig import (
    APPROVER,
    BOTH,
    COMMS,
    COMMS_CHANNEL,
    INBOX,
    OUTSIDER,
    Rig,
    action_ids,
    add_mention,
    button,
    message_text,
)

from bot.domain import Flag, Intent
from bot.review.states import ReviewState
from bot.slack.modals import REASON_BLOCK, REASON_INPUT, REPLY_BLOCK, REPLY_INPUT
from bot.store.records import OutboxAction

APPROVE, EDIT, REJECT, ESCALATE = (
    "socialbot.approve",
    "socialbot.edit",
    "socialbot.reject",
    "socialbot.escalate",
)


def test_a_card_shows_the_mention_and_the_draft_with_the_four_buttons(rig: Rig) -> None:
    key = add_mention(rig.store, text="Leak under the sink <!channel> & more")
    card = rig.publish(key)

    assert card.channel == INBOX
    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    text = message_text(card)
    assert "&lt;!channel&gt; &amp; more" in text  # escaped: the public cannot ping a channel
    assert "<!channel>" not in text
    assert "Sorry to hear that" in text
    assert "Repair report (91% sure)" in text
    assert action_ids(card) == [APPROVE, EDIT, REJECT, ESCALATE]


def test_approve_puts_one_reply_in_the_outbox_and_updates_the_card(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)

    response = rig.click(card, APPROVE, APPROVER)
    rig.settle()

    assert response.status_code == 200
    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.APPROVED
    assert record.decided_by == APPROVER
    outbox = rig.store.outbox_for(key)
    assert [(o.action, o.text) for o in outbox] == [(OutboxAction.REPLY, record.reply_text)]
    updated = rig.fake.message(card.channel, card.ts)
    assert updated.updates >= 1
    assert action_ids(updated) == []  # buttons gone
    assert f"Approved by <@{APPROVER}>" in message_text(updated)


def test_a_double_click_and_a_slack_retry_send_once(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    value = button(card, APPROVE)["value"]
    payload = rig.slack.block_action(
        APPROVE, value, user=APPROVER, channel=card.channel, message_ts=card.ts
    )

    first = rig.slack.interaction(payload)
    retried = rig.slack.interaction(payload, retry_num=1)  # the same request, again
    rig.settle()
    second_click = rig.click(card, APPROVE, BOTH)  # somebody else, a moment later
    rig.settle()

    assert {first.status_code, retried.status_code, second_click.status_code} == {200}
    assert len(rig.store.outbox_for(key)) == 1
    assert rig.store.get(key).decided_by == APPROVER  # type: ignore[union-attr]
    told = [e for e in rig.fake.ephemerals if e["user"] == BOTH]
    assert len(told) == 1 and "Already done" in told[0]["text"]
    assert not [e for e in rig.fake.ephemerals if e["user"] == APPROVER]


def test_two_people_pressing_at_once_send_once(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    start = threading.Barrier(2)

    def press(user: str) -> None:
        start.wait()
        rig.click(card, APPROVE, user)

    threads = [threading.Thread(target=press, args=(u,)) for u in (APPROVER, BOTH)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rig.settle()

    assert len(rig.store.outbox_for(key)) == 1
    winner = rig.store.get(key).decided_by  # type: ignore[union-attr]
    loser = BOTH if winner == APPROVER else APPROVER
    assert [e["user"] for e in rig.fake.ephemerals] == [loser]


def test_somebody_outside_the_approvers_changes_nothing(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    updates_before = rig.fake.message(card.channel, card.ts).updates

    rig.click(card, APPROVE, OUTSIDER)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []
    assert rig.fake.message(card.channel, card.ts).updates == updates_before
    (refusal,) = rig.fake.ephemerals
    assert refusal["user"] == OUTSIDER and refusal["channel"] == INBOX
    assert "approvers" in refusal["text"]


def test_edit_opens_the_draft_and_sends_the_edited_text(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)

    view = rig.open_dialog(card, EDIT, APPROVER)
    initial = view["blocks"][1]["element"]["initial_value"]
    assert initial.startswith("Sorry to hear that")
    assert view["blocks"][1]["element"]["max_length"] == 280  # a tweet

    edited = "Sorry about the tap! Please report it at westkent.org/repairs and we'll fix it."
    response = rig.slack.submit(view, {REPLY_BLOCK: {REPLY_INPUT: edited}}, user=APPROVER)
    rig.settle()

    assert response.status_code == 200 and not response.content  # a plain ack closes it
    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.EDITED
    assert [o.text for o in rig.store.outbox_for(key)] == [edited]
    assert "Edited and approved" in message_text(rig.fake.message(card.channel, card.ts))


def test_an_edited_tweet_too_long_is_refused_inside_the_dialog(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    view = rig.open_dialog(card, EDIT, APPROVER)

    response = rig.slack.submit(view, {REPLY_BLOCK: {REPLY_INPUT: "x" * 281}}, user=APPROVER)
    rig.settle()

    body = response.json()
    assert body["response_action"] == "errors"
    assert "281 characters" in body["errors"][REPLY_BLOCK]
    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []


def test_an_outsider_submitting_an_edit_changes_nothing(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    view = rig.open_dialog(card, EDIT, APPROVER)

    rig.slack.submit(view, {REPLY_BLOCK: {REPLY_INPUT: "Hello"}}, user=OUTSIDER)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []
    assert [e["user"] for e in rig.fake.ephemerals] == [OUTSIDER]


def test_reject_with_a_reason_shows_it_on_the_card(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)

    view = rig.open_dialog(card, REJECT, APPROVER)
    rig.slack.submit(view, {REASON_BLOCK: {REASON_INPUT: "Already answered by phone"}},
                     user=APPROVER, view_id="V0REJECT")
    rig.settle()

    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.REJECTED
    assert rig.store.outbox_for(key) == []
    shown = message_text(rig.fake.message(card.channel, card.ts))
    assert f"Rejected by <@{APPROVER}>" in shown and "Already answered by phone" in shown


def test_escalate_hands_the_card_to_comms_who_alone_may_decide(rig: Rig) -> None:
    key = add_mention(rig.store, intent=Intent.COMPLAINT)
    card = rig.publish(key)
    assert rig.fake.messages_in(COMMS_CHANNEL) == []

    rig.click(card, ESCALATE, APPROVER)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.ESCALATED  # type: ignore[union-attr]
    (comms_card,) = rig.fake.messages_in(COMMS_CHANNEL)
    assert "<!subteam^S0COMMS>" in comms_card.text
    assert {c.channel for c in rig.store.cards(key)} == {INBOX, COMMS_CHANNEL}
    inbox = rig.fake.message(card.channel, card.ts)
    assert "Escalated to the Comms Team" in message_text(inbox)
    assert ESCALATE not in action_ids(inbox)

    rig.click(comms_card, APPROVE, APPROVER)  # an approver, but not in Comms
    rig.settle()
    assert rig.store.get(key).state is ReviewState.ESCALATED  # type: ignore[union-attr]
    rig.click(comms_card, APPROVE, COMMS)
    rig.settle()
    assert rig.store.get(key).state is ReviewState.APPROVED  # type: ignore[union-attr]
    assert len(rig.store.outbox_for(key)) == 1


def test_press_enquiries_go_to_comms_and_need_a_comms_member(rig: Rig) -> None:
    key = add_mention(
        rig.store,
        intent=Intent.PRESS_ENQUIRY,
        flags=(Flag.COMMS,),
        text="Kent Messenger here: can you comment on the damp at Tonbridge flats?",
        draft="Thanks for getting in touch. Please contact our press office.",
    )
    card = rig.publish(key)
    rig.settle()
    (comms_card,) = rig.fake.messages_in(COMMS_CHANNEL)
    assert comms_card.text.startswith("<!subteam^S0COMMS>")
    assert ESCALATE not in action_ids(card)

    rig.click(card, APPROVE, APPROVER)
    rig.settle()
    assert rig.store.outbox_for(key) == []
    assert "Communications Team" in rig.fake.ephemerals[-1]["text"]

    rig.click(card, APPROVE, COMMS)
    rig.settle()
    assert len(rig.store.outbox_for(key)) == 1
    for ref in rig.store.cards(key):  # both copies now say who approved
        assert f"Approved by <@{COMMS}>" in message_text(rig.fake.message(ref.channel, ref.ts))


def test_a_click_on_a_stale_card_is_refused(rig: Rig) -> None:
    """The card showed 'queued'; meanwhile it was escalated: the click must not decide."""
    key = add_mention(rig.store, intent=Intent.COMPLAINT)
    card = rig.publish(key)
    stale_value = button(card, APPROVE)["value"]
    rig.store.escalate(key, actor=APPROVER)

    rig.slack.click(APPROVE, stale_value, user=BOTH, channel=card.channel, message_ts=card.ts)
    rig.settle()

    assert rig.store.get(key).state is ReviewState.ESCALATED  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []
    assert json.loads(stale_value)["s"] == "queued_for_review"
    assert "Already done" in rig.fake.ephemerals[-1]["text"]

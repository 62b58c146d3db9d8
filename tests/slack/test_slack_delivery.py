"""After the outbox: the thread says what was sent and where, or the error with Retry."""

from __future__ import annotations

from datetime import timedelta

from slack_rig import APPROVER, OUTSIDER, Rig, action_ids, add_mention, message_text

from bot.review.states import ReviewState
from bot.store.records import AttemptOutcome, MentionKey, OutboxItem, OutboxStatus

WORKER = "test-outbox"


def _approved(rig: Rig) -> tuple[MentionKey, OutboxItem]:
    key = add_mention(rig.store)
    card = rig.publish(key)
    rig.click(card, "socialbot.approve", APPROVER)
    rig.settle()
    (item,) = rig.store.claim_outbox(WORKER, lease=timedelta(minutes=1))
    rig.store.start_attempt(item.id, WORKER)
    return key, item


def test_a_sent_reply_is_recorded_in_the_cards_thread(rig: Rig) -> None:
    key, item = _approved(rig)
    done = rig.store.record_sent(item.id, WORKER, "1857000000000000001")

    rig.bot.desk.delivered(done)
    rig.settle()

    card = rig.store.card(key)
    assert card is not None
    (reply,) = rig.fake.messages_in(card.channel, thread_ts=card.ts)
    shown = message_text(reply)
    assert "Sent" in shown and "Sorry to hear that" in shown
    assert "<https://x.com/i/web/status/1857000000000000001|See it on X (Twitter)>" in shown
    redrawn = message_text(rig.fake.message(card.channel, card.ts))
    assert f"Approved by <@{APPROVER}> at Tue 12 Nov, 10:00 · 📨 sent at" in redrawn


def test_a_failed_send_shows_the_error_and_retry_sends_the_same_text_again(rig: Rig) -> None:
    key, item = _approved(rig)
    failed = rig.store.record_failed(item.id, WORKER, error="X said 403: duplicate content",
                                     outcome=AttemptOutcome.ERROR)
    assert rig.store.get(key).state is ReviewState.FAILED  # type: ignore[union-attr]

    rig.bot.desk.gave_up(failed)
    rig.settle()

    card = rig.store.card(key)
    assert card is not None
    (notice,) = rig.fake.messages_in(card.channel, thread_ts=card.ts)
    assert "Sending failed" in message_text(notice)
    assert "duplicate content" in message_text(notice)
    assert "Nothing was posted" in message_text(notice)
    assert "sending failed at" in message_text(rig.fake.message(card.channel, card.ts))
    assert action_ids(notice) == ["socialbot.retry"]

    rig.click(notice, "socialbot.retry", OUTSIDER)
    rig.settle()
    assert rig.store.get(key).state is ReviewState.FAILED  # type: ignore[union-attr]

    rig.click(notice, "socialbot.retry", APPROVER)
    rig.settle()

    record = rig.store.get(key)
    assert record is not None and record.state is ReviewState.APPROVED
    items = rig.store.outbox_for(key)
    assert [i.status for i in items] == [OutboxStatus.FAILED, OutboxStatus.PENDING]
    assert items[1].text == items[0].text
    redrawn = rig.fake.message(notice.channel, notice.ts)
    assert action_ids(redrawn) == []  # Retry can be pressed once
    assert f"Retried by <@{APPROVER}>" in message_text(redrawn)
    assert "duplicate content" in message_text(redrawn)


def test_a_send_that_may_have_gone_through_says_so(rig: Rig) -> None:
    key, item = _approved(rig)
    failed = rig.store.record_failed(item.id, WORKER, error="timed out",
                                     outcome=AttemptOutcome.UNKNOWN)

    rig.bot.desk.gave_up(failed)
    rig.settle()

    card = rig.store.card(key)
    assert card is not None
    (notice,) = rig.fake.messages_in(card.channel, thread_ts=card.ts)
    assert "may have been posted after all" in message_text(notice)
    assert "Nothing was posted" not in message_text(notice)

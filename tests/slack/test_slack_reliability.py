"""Slack saying no: 429s are waited out, errors retried, and no mention is ever lost."""

from __future__ import annotations

from slack_rig import APPROVER, INBOX, Rig, add_mention

from bot.review.states import ReviewState


def test_a_429_is_retried_after_retry_after(rig: Rig) -> None:
    rig.fake.fail_method("chat.postMessage", status=429, retry_after=1)
    key = add_mention(rig.store)

    rig.publish(key)

    first, second = rig.fake.calls_to("chat.postMessage")
    assert (first.status, first.response["error"]) == (429, "ratelimited")
    assert second.response["ok"]
    assert second.at - first.at >= 1.0  # Slack's Retry-After was respected
    assert len(rig.fake.messages_in(INBOX)) == 1
    assert len(rig.store.cards(key)) == 1


def test_a_failing_slack_call_is_retried_until_the_card_is_posted(rig: Rig) -> None:
    rig.fake.fail_method("chat.postMessage", status=500, error="internal_error", times=2)
    rig.fake.fail_method("chat.postMessage", error="service_unavailable")
    key = add_mention(rig.store)

    rig.publish(key)

    statuses = [c.response.get("ok") for c in rig.fake.calls_to("chat.postMessage")]
    assert statuses == [False, False, False, True]
    assert len(rig.fake.messages_in(INBOX)) == 1


def test_a_card_slack_refuses_stays_queued_and_the_sweep_posts_it_later(rig: Rig) -> None:
    rig.fake.fail_method("chat.postMessage", error="channel_not_found")
    key = add_mention(rig.store)

    rig.bot.desk.publish(key)
    rig.settle()

    assert len(rig.fake.calls_to("chat.postMessage")) == 1  # not retried in a loop
    assert rig.store.card(key) is None
    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]

    rig.bot.desk.sweep()  # e.g. after someone invited the bot to the channel
    rig.settle()

    assert rig.store.card(key) is not None
    assert len(rig.fake.messages_in(INBOX)) == 1


def test_publishing_twice_posts_one_card(rig: Rig) -> None:
    key = add_mention(rig.store)

    rig.bot.desk.publish(key)
    rig.bot.desk.publish(key)
    rig.bot.desk.sweep()
    rig.settle()
    rig.bot.desk.sweep()
    rig.settle()

    assert len(rig.fake.messages_in(INBOX)) == 1


def test_a_card_update_that_fails_is_retried(rig: Rig) -> None:
    key = add_mention(rig.store)
    card = rig.publish(key)
    rig.fake.fail_method("chat.update", status=503, error="service_unavailable")

    rig.click(card, "socialbot.approve", APPROVER)
    rig.settle()

    assert [c.response.get("ok") for c in rig.fake.calls_to("chat.update")] == [False, True]
    assert rig.fake.message(card.channel, card.ts).updates == 1


def test_a_decision_landing_while_the_card_is_posted_is_drawn(rig: Rig) -> None:
    """The card was approved while it waited in the queue: it is drawn when its turn comes,
    so it goes out approved (no stale buttons, no redraw needed)."""
    key = add_mention(rig.store)
    rig.store.queue_for_review(key)
    rig.bot.queue.stop()  # hold the posting queue
    rig.bot.desk.publish(key)
    rig.store.approve(key, actor=APPROVER)
    rig.bot.queue.start()
    rig.settle()

    card = rig.card(key)
    assert card.updates == 0
    assert "Approved by" in str(card.blocks)

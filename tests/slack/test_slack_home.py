"""App Home: opening the tab draws the queue (urgent on top, then oldest), counts, cover."""

from __future__ import annotations

from datetime import timedelta

from slack_rig import APPROVER, IN_HOURS, Rig, add_mention

from bot.domain import Flag, Intent


def test_opening_the_home_tab_shows_the_queue_counts_and_cover(rig: Rig) -> None:
    old = add_mention(rig.store, intent=Intent.RENT_PAYMENT, text="How do I pay my rent?",
                      created_at=IN_HOURS - timedelta(hours=3))
    new = add_mention(rig.store, intent=Intent.COMPLAINT, text="Still no reply to my email",
                      created_at=IN_HOURS - timedelta(minutes=30))
    urgent = add_mention(rig.store, intent=Intent.EMERGENCY, flags=(Flag.URGENT,),
                         text="Water pouring through my ceiling",
                         created_at=IN_HOURS - timedelta(minutes=2))
    for key in (old, new, urgent):
        rig.publish(key)
    rig.store.set_cover(APPROVER, "Storm Bert", IN_HOURS + timedelta(hours=12))

    response = rig.slack.event({"type": "app_home_opened", "user": APPROVER, "tab": "home",
                                "channel": "D0HOME"}, event_id="Ev0HOME1")
    rig.settle()

    assert response.status_code == 200
    view = rig.fake.home_views[APPROVER]
    shown = str(view["blocks"])
    order = [shown.index(t) for t in ("Water pouring", "How do I pay", "Still no reply")]
    assert order == sorted(order)  # urgent first, then the oldest
    assert "Waiting for review (3)" in shown
    assert "Emergency: *1*" in shown and "Rent and payments: *1*" in shown
    assert f"<@{APPROVER}> is on cover for *Storm Bert*" in shown
    card = rig.store.card(urgent)
    assert card is not None
    link = f"https://westkent-test.slack.com/archives/{card.channel}/p{card.ts.replace('.', '')}"
    assert link in shown


def test_a_retried_event_is_handled_once(rig: Rig) -> None:
    event = {"type": "app_home_opened", "user": APPROVER, "tab": "home"}
    rig.slack.event(event, event_id="Ev0SAME")
    rig.slack.event(event, event_id="Ev0SAME", retry_num=1)
    rig.slack.event({**event, "tab": "messages"}, event_id="Ev0MESSAGES")
    rig.settle()

    assert len(rig.fake.calls_to("views.publish")) == 1

"""HTTP mode only believes requests signed with the app's secret, and only fresh ones."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from fakes.slack_requests import sign
from slack_rig import APPROVER, Rig, add_mention, button

from bot.review.states import ReviewState

APPROVE = "socialbot.approve"


def _approve_body(rig: Rig) -> tuple[tuple[str, str, str], bytes]:
    key = add_mention(rig.store)
    card = rig.publish(key)
    payload = rig.slack.block_action(
        APPROVE, button(card, APPROVE)["value"], user=APPROVER,
        channel=card.channel, message_ts=card.ts,
    )
    return key, urlencode({"payload": json.dumps(payload)}).encode()


def _nothing_happened(rig: Rig, key: tuple[str, str, str], calls_before: int) -> None:
    rig.settle()
    assert rig.store.get(key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]
    assert rig.store.outbox_for(key) == []
    assert len(rig.fake.calls) == calls_before  # not even a permission check


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "stale by 6 minutes", "from the future", "body changed", "empty signature"],
)
def test_a_forged_or_stale_request_gets_401_and_changes_nothing(rig: Rig, how: str) -> None:
    key, body = _approve_body(rig)
    calls_before = len(rig.fake.calls)
    now = int(time.time())
    match how:
        case "wrong secret":
            response = rig.slack.post(body, FORM, secret="not-the-secret")
        case "stale by 6 minutes":
            response = rig.slack.post(body, FORM, timestamp=now - 6 * 60)
        case "from the future":
            response = rig.slack.post(body, FORM, timestamp=now + 6 * 60)
        case "body changed":
            signature = sign(rig.slack.secret, str(now), body)
            response = rig.slack.post(body + b"&x=1", FORM, timestamp=now, signature=signature)
        case _:
            response = rig.slack.post(body, FORM, signature="v0=")

    assert response.status_code == 401
    _nothing_happened(rig, key, calls_before)


def test_the_same_request_signed_properly_is_accepted(rig: Rig) -> None:
    key, body = _approve_body(rig)
    stamp = int(time.time()) - 4 * 60  # four minutes old is still fine

    response = rig.slack.post(body, FORM, timestamp=stamp)
    rig.settle()

    assert response.status_code == 200
    assert rig.store.get(key).state is ReviewState.APPROVED  # type: ignore[union-attr]

"""Membership of the approvers and Comms groups: read from Slack, cached briefly."""

from __future__ import annotations

import pytest
from fakes.slack_api import FakeSlackApi
from slack_rig import APPROVER, COMMS, settings
from slack_sdk import WebClient

from bot.errors import NotAllowed
from bot.review.service import Role
from bot.slack.permissions import Permissions


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _permissions(fake: FakeSlackApi, ticker: Ticker) -> Permissions:
    client = WebClient(token="xoxb-test", base_url=fake.base_url)
    return Permissions(client, settings().slack, fresh_seconds=60, stale_seconds=600,
                       monotonic=ticker)


def test_membership_is_asked_once_then_again_when_old(fake: FakeSlackApi) -> None:
    ticker = Ticker()
    permissions = _permissions(fake, ticker)

    assert permissions.has_role(APPROVER, Role.APPROVER)
    assert not permissions.has_role(COMMS, Role.APPROVER)
    assert len(fake.calls_to("usergroups.users.list")) == 1

    fake.usergroups["S0APPROVERS"] = [COMMS]  # somebody changed the group in Slack
    ticker.now += 61
    assert permissions.has_role(COMMS, Role.APPROVER)
    assert not permissions.has_role(APPROVER, Role.APPROVER)
    assert len(fake.calls_to("usergroups.users.list")) == 2


def test_a_recent_answer_stands_in_when_slack_fails(fake: FakeSlackApi) -> None:
    ticker = Ticker()
    permissions = _permissions(fake, ticker)
    assert permissions.has_role(APPROVER, Role.APPROVER)

    fake.fail_method("usergroups.users.list", error="internal_error", times=5)
    ticker.now += 120
    assert permissions.has_role(APPROVER, Role.APPROVER)

    ticker.now += 600  # too old to trust
    with pytest.raises(NotAllowed, match="could not check"):
        permissions.require(APPROVER, Role.APPROVER)


def test_nobody_is_allowed_when_slack_cannot_be_asked(fake: FakeSlackApi) -> None:
    fake.fail_method("usergroups.users.list", error="missing_scope")
    permissions = _permissions(fake, Ticker())

    with pytest.raises(NotAllowed):
        permissions.require(APPROVER, Role.APPROVER)


def test_a_refusal_says_which_group(fake: FakeSlackApi) -> None:
    permissions = _permissions(fake, Ticker())

    with pytest.raises(NotAllowed, match="Communications Team"):
        permissions.require(APPROVER, Role.COMMS)
    permissions.require(COMMS, Role.COMMS)

"""The pure state machine: which steps are legal, and how an illegal one is reported."""

from __future__ import annotations

import itertools

import pytest

from bot.errors import AlreadyDecided, IllegalTransition
from bot.review.states import (
    ALLOWED,
    DECISIONS,
    FINAL,
    PENDING_REVIEW,
    ReviewState,
    check_transition,
    is_allowed,
)

S = ReviewState


def test_every_state_has_a_row_in_the_table() -> None:
    assert set(ALLOWED) == set(ReviewState)
    assert {s.value for s in ReviewState} == {
        "received", "triaged", "queued_for_review", "approved", "edited", "rejected",
        "escalated", "sending", "sent", "failed", "moderated", "ignored",
    }


def test_the_happy_path_is_allowed() -> None:
    path = [S.RECEIVED, S.TRIAGED, S.QUEUED_FOR_REVIEW, S.APPROVED, S.SENDING, S.SENT]
    for current, target in itertools.pairwise(path):
        check_transition("m", current, target)
    for decision in (S.APPROVED, S.EDITED, S.REJECTED, S.ESCALATED, S.MODERATED, S.IGNORED):
        assert is_allowed(S.QUEUED_FOR_REVIEW, decision)


def test_final_states_go_nowhere() -> None:
    assert {S.SENT, S.REJECTED, S.MODERATED, S.IGNORED} == FINAL
    for state in FINAL:
        for target in ReviewState:
            assert not is_allowed(state, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.APPROVED),  # nobody approves an untriaged mention
        (S.RECEIVED, S.SENDING),
        (S.TRIAGED, S.SENT),
        (S.QUEUED_FOR_REVIEW, S.SENDING),  # only the outbox sends, after an approval
        (S.QUEUED_FOR_REVIEW, S.SENT),
        (S.SENDING, S.QUEUED_FOR_REVIEW),
        (S.QUEUED_FOR_REVIEW, S.RECEIVED),
    ],
)
def test_illegal_steps_raise_illegal_transition(current: ReviewState, target: ReviewState) -> None:
    with pytest.raises(IllegalTransition) as raised:
        check_transition("twitter/westkentha/1", current, target)
    assert raised.value.current == current.value
    assert raised.value.target == target.value
    assert "twitter/westkentha/1" in str(raised.value)


@pytest.mark.parametrize("done", [S.APPROVED, S.EDITED, S.REJECTED, S.SENDING, S.SENT, S.IGNORED])
@pytest.mark.parametrize("decision", sorted(DECISIONS - {S.ESCALATED}))
def test_a_second_decision_is_already_decided(done: ReviewState, decision: ReviewState) -> None:
    with pytest.raises(AlreadyDecided):
        check_transition("m", done, decision)


def test_escalated_is_still_pending_and_can_be_decided() -> None:
    assert {S.QUEUED_FOR_REVIEW, S.ESCALATED} == PENDING_REVIEW
    check_transition("m", S.ESCALATED, S.APPROVED)
    with pytest.raises(AlreadyDecided):  # two people escalating at once
        check_transition("m", S.ESCALATED, S.ESCALATED)


def test_already_decided_is_not_an_illegal_transition() -> None:
    # The Slack app tells these apart: "someone beat you to it" vs "that makes no sense".
    assert not issubclass(AlreadyDecided, IllegalTransition)
    assert not issubclass(IllegalTransition, AlreadyDecided)

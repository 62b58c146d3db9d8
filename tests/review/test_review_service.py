"""The review service: who may decide what, edited replies, and submitting for review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain import Author, Draft, Flag, Intent, Kind, Mention, Platform, Triage, TriageResult
from bot.errors import AlreadyDecided, IllegalTransition, InputError
from bot.review.service import (
    Decision,
    DecisionRequest,
    Role,
    decide,
    reply_problem,
    required_role,
    submit_for_review,
)
from bot.review.states import ReviewState
from bot.store.records import AttemptOutcome
from bot.store.sqlite import SqliteStore

NOW = datetime(2024, 11, 12, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    opened = SqliteStore(tmp_path / "review.sqlite3", clock=lambda: NOW)
    yield opened  # type: ignore[misc]
    opened.close()


def _result(intent: Intent = Intent.REPAIR_REPORT, flags: frozenset[Flag] = frozenset(),
            platform: Platform = Platform.TWITTER, n: int = 1) -> TriageResult:
    mention = Mention(str(n), platform, Kind.MENTION, Author("jane"), "My tap leaks", NOW,
                      account="westkentha")
    return TriageResult(mention, Triage(intent, 0.9, flags),
                        Draft("Sorry! Report it online.", intent.value, platform))


def test_submitting_twice_stores_and_queues_once(store: SqliteStore) -> None:
    first = submit_for_review(store, _result())
    again = submit_for_review(store, _result())

    assert first.state is again.state is ReviewState.QUEUED_FOR_REVIEW
    assert [t.to_state for t in store.history(first.key)] == [
        ReviewState.RECEIVED, ReviewState.TRIAGED, ReviewState.QUEUED_FOR_REVIEW,
    ]


def test_press_policy_comms_and_escalated_need_comms(store: SqliteStore) -> None:
    plain = submit_for_review(store, _result(n=1))
    press = submit_for_review(store, _result(Intent.PRESS_ENQUIRY, n=2))
    policy = submit_for_review(store, _result(Intent.POLICY_QUESTION, n=3))
    flagged = submit_for_review(store, _result(Intent.COMPLAINT, frozenset({Flag.COMMS}), n=4))

    assert required_role(plain, Decision.APPROVE) is Role.APPROVER
    for record in (press, policy, flagged):
        assert required_role(record, Decision.APPROVE) is Role.COMMS
        assert required_role(record, Decision.HIDE) is Role.COMMS
    escalated = decide(store, DecisionRequest(plain.key, Decision.ESCALATE, "U1"))
    assert required_role(escalated, Decision.REJECT) is Role.COMMS
    assert required_role(plain, Decision.ESCALATE) is Role.APPROVER


def test_an_edited_reply_must_fit_the_platform(store: SqliteStore) -> None:
    record = submit_for_review(store, _result())

    with pytest.raises(InputError, match="limit here is 280"):
        decide(store, DecisionRequest(record.key, Decision.EDIT, "U1", text="x" * 281))
    assert reply_problem(Platform.FACEBOOK, "x" * 281) is None
    assert reply_problem(Platform.YOUTUBE, "hello") == "We do not reply on this platform."
    assert reply_problem(Platform.TELEGRAM, "   ") == "The reply is empty."
    assert store.get(record.key).state is ReviewState.QUEUED_FOR_REVIEW  # type: ignore[union-attr]


def test_the_state_the_person_saw_must_still_hold(store: SqliteStore) -> None:
    record = submit_for_review(store, _result())
    decide(store, DecisionRequest(record.key, Decision.ESCALATE, "U1"))

    with pytest.raises(AlreadyDecided):
        decide(store, DecisionRequest(record.key, Decision.APPROVE, "U2",
                                      expected=ReviewState.QUEUED_FOR_REVIEW))
    assert store.outbox_for(record.key) == []


def test_retry_is_only_for_a_failed_send(store: SqliteStore) -> None:
    record = submit_for_review(store, _result())

    with pytest.raises(IllegalTransition):
        decide(store, DecisionRequest(record.key, Decision.RETRY, "U1"))


def test_retry_sends_the_edited_text_again(store: SqliteStore) -> None:
    record = submit_for_review(store, _result())
    decide(store, DecisionRequest(record.key, Decision.EDIT, "U1", text="My own words"))
    (item,) = store.claim_outbox("w", lease=timedelta(minutes=5))
    store.start_attempt(item.id, "w")
    store.record_failed(item.id, "w", error="boom", outcome=AttemptOutcome.ERROR)

    after = decide(store, DecisionRequest(record.key, Decision.RETRY, "U2"))

    assert after.state is ReviewState.EDITED and after.reply_text == "My own words"
    assert [i.text for i in store.outbox_for(record.key)] == ["My own words"] * 2

"""What people decide about a mention, as thin functions over the Store port.

Whatever the front end (Slack today), a decision is: who, which mention, what they saw
(``expected``: the state shown to them), and what they chose. The store does the
compare-and-set and writes the outbox in the same transaction; this module only picks the
store call, says who may decide what, and checks an edited reply before it is approved.
No Slack types here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain import COMMS_INTENTS, Flag, Intent, Platform, TriageResult
from bot.errors import AlreadyDecided, IllegalTransition, InputError, UnknownMention
from bot.review.states import ModerationAction, ReviewState
from bot.store.port import Store
from bot.store.records import MentionKey, MentionRecord, OutboxItem, describe_key

#: Intents that call for a withhold / hide / remove decision rather than a reply.
MODERATION_INTENTS = frozenset({Intent.ABUSE, Intent.SPAM})

#: Longest reply each platform takes (X counts more subtly; this is the safe bound).
MAX_REPLY_CHARS: dict[Platform, int] = {
    Platform.TWITTER: 280,
    Platform.FACEBOOK: 8000,
    Platform.TELEGRAM: 4096,
}


class Role(StrEnum):
    APPROVER = "approver"
    COMMS = "comms"


class Decision(StrEnum):
    APPROVE = "approve"
    EDIT = "edit"  # approve with the person's own text
    REJECT = "reject"
    ESCALATE = "escalate"
    HIDE = "hide"
    REMOVE = "remove"
    LEAVE = "leave"
    NO_REPLY = "no_reply"
    RETRY = "retry"  # send again after the outbox gave up


MODERATION_DECISIONS: dict[Decision, ModerationAction] = {
    Decision.HIDE: ModerationAction.HIDE,
    Decision.REMOVE: ModerationAction.REMOVE,
    Decision.LEAVE: ModerationAction.LEAVE,
}


@dataclass(frozen=True)
class DecisionRequest:
    key: MentionKey
    decision: Decision
    actor: str  # who decides (a Slack user id)
    expected: ReviewState | None = None  # the state the person saw
    text: str = ""  # the edited reply (EDIT)
    reason: str = ""  # why (REJECT, NO_REPLY), or a note (ESCALATE, moderation)


class DeliveryListener(Protocol):
    """Told by the outbox how a decision went out; the Slack app's CardDesk is one.

    Synchronous and quick (it queues its Slack messages): async code calls it through
    ``asyncio.to_thread``.
    """

    def delivered(self, item: OutboxItem, url: str = "") -> None:
        """``item`` (a reply or a hide) is done; ``url`` is where to see the reply, if known."""

    def gave_up(self, item: OutboxItem) -> None:
        """The outbox gave up on ``item`` (``item.last_error`` says why)."""


def submit_for_review(
    store: Store, result: TriageResult, *, actor: str = "triage"
) -> MentionRecord:
    """Store a triaged mention and queue it for review; a redelivery changes nothing.

    The caller then asks the front end to show it (``CardDesk.publish(record.key)``).
    """
    record = store.ingest(result.mention).record
    key = record.key
    try:
        if record.state is ReviewState.RECEIVED:
            record = store.record_triage(key, result.triage, result.draft, actor=actor)
        if record.state is ReviewState.TRIAGED:
            record = store.queue_for_review(key, actor=actor)
    except (AlreadyDecided, IllegalTransition):
        # Another worker (or the Slack sweep) took the same step a moment ago.
        record = _get(store, key)
    return record


def needs_comms(record: MentionRecord) -> bool:
    """Press and policy matters, anything flagged comms, and anything escalated to Comms."""
    if record.state is ReviewState.ESCALATED:
        return True
    triage = record.triage
    return triage is not None and (triage.intent in COMMS_INTENTS or triage.has(Flag.COMMS))


def needs_moderation(record: MentionRecord) -> bool:
    """Abuse, spam, and anything flagged for moderation (security, call recordings...)."""
    triage = record.triage
    return triage is not None and (
        triage.intent in MODERATION_INTENTS or triage.has(Flag.MODERATION)
    )


def required_role(record: MentionRecord, decision: Decision) -> Role:
    """Who may take ``decision`` on ``record``: Comms for comms matters, else approvers.

    Escalating hands a mention to Comms, so it is an approver's step, never Comms' own.
    """
    if decision is not Decision.ESCALATE and needs_comms(record):
        return Role.COMMS
    return Role.APPROVER


def reply_problem(platform: Platform, text: str) -> str | None:
    """Why ``text`` cannot be sent as a reply on ``platform``, or None if it can."""
    if not text.strip():
        return "The reply is empty."
    if not platform.answerable:
        return "We do not reply on this platform."
    limit = MAX_REPLY_CHARS[platform]
    if len(text) > limit:
        return f"The reply is {len(text)} characters; the limit here is {limit}."
    return None


def decide(store: Store, request: DecisionRequest) -> MentionRecord:
    """Carry out a person's decision; returns the mention as it is afterwards.

    Raises AlreadyDecided when somebody acted first (or the state is not the one the person
    saw), IllegalTransition for a step the state machine does not allow, UnknownMention,
    and InputError for an edited reply that cannot be sent.
    """
    key, actor, expected = request.key, request.actor, request.expected
    match request.decision:
        case Decision.APPROVE:
            store.approve(key, actor=actor, expected=expected)
        case Decision.EDIT:
            _check_reply(store, key, request.text)
            store.approve_edited(key, actor=actor, text=request.text, expected=expected)
        case Decision.REJECT:
            store.reject(key, actor=actor, reason=request.reason, expected=expected)
        case Decision.ESCALATE:
            store.escalate(key, actor=actor, note=request.reason, expected=expected)
        case Decision.HIDE | Decision.REMOVE | Decision.LEAVE:
            store.moderate(
                key,
                actor=actor,
                action=MODERATION_DECISIONS[request.decision],
                note=request.reason,
                expected=expected,
            )
        case Decision.NO_REPLY:
            store.ignore(key, actor=actor, reason=request.reason, expected=expected)
        case Decision.RETRY:
            _retry(store, key, actor)
    return _get(store, key)


def _retry(store: Store, key: MentionKey, actor: str) -> None:
    """failed → queued_for_review → approved again with the text that was approved before."""
    record = _get(store, key)
    if record.state is not ReviewState.FAILED:
        raise IllegalTransition(describe_key(key), record.state.value, ReviewState.APPROVED.value)
    text = record.reply_text
    store.queue_for_review(key, actor=actor, note="retry after a failed send")
    if record.draft is not None and text == record.draft.text:
        store.approve(key, actor=actor, expected=ReviewState.QUEUED_FOR_REVIEW)
    else:
        store.approve_edited(
            key, actor=actor, text=text, expected=ReviewState.QUEUED_FOR_REVIEW
        )


def _check_reply(store: Store, key: MentionKey, text: str) -> None:
    problem = reply_problem(_get(store, key).mention.platform, text)
    if problem is not None:
        raise InputError(problem)


def _get(store: Store, key: MentionKey) -> MentionRecord:
    record = store.get(key)
    if record is None:
        raise UnknownMention(f"no mention {describe_key(key)}")
    return record

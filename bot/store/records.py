"""What the store hands back: plain frozen records, no database types.

Every datetime here is timezone-aware (UTC).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bot.domain import Draft, Flag, Mention, Triage
from bot.errors import InputError
from bot.review.states import ModerationAction, ReviewState

#: (platform, account, external id): ``Mention.key``.
MentionKey = tuple[str, str, str]

#: A callable returning "now" as an aware datetime; tests pass their own.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def encode_key(key: MentionKey) -> str:
    """A mention key as one string (for a Slack button value or a log line); see decode_key."""
    return json.dumps(list(key), separators=(",", ":"))


def decode_key(text: str) -> MentionKey:
    """The inverse of :func:`encode_key`; raises InputError for anything else."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not a mention key: {text[:80]!r}") from exc
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)):
        raise InputError(f"not a mention key: {text[:80]!r}")
    return (value[0], value[1], value[2])


def describe_key(key: MentionKey) -> str:
    """Readable form for error messages, e.g. 'twitter/westkentha/1790001'."""
    platform, account, external_id = key
    return f"{platform}/{account or '-'}/{external_id}"


@dataclass(frozen=True)
class MentionRecord:
    """A stored mention with where it is in the approval process."""

    mention: Mention
    state: ReviewState
    triage: Triage | None
    draft: Draft | None
    received_at: datetime  # when we stored it (the mention's own time is mention.created_at)
    updated_at: datetime  # last state change
    #: The text approved for sending (the draft, or the edited text); "" before a decision.
    reply_text: str = ""
    #: The platform's id of our reply, once sent.
    reply_platform_id: str = ""
    #: Who took the last person's decision, and when.
    decided_by: str = ""
    decided_at: datetime | None = None
    moderation: ModerationAction | None = None
    #: Personal data was deleted by the retention purge (text, author, url, drafts blanked).
    purged: bool = False

    @property
    def key(self) -> MentionKey:
        return self.mention.key

    @property
    def urgent(self) -> bool:
        return self.triage is not None and self.triage.has(Flag.URGENT)


@dataclass(frozen=True)
class IngestResult:
    record: MentionRecord
    created: bool  # False: the same mention was already stored (a redelivery)


@dataclass(frozen=True)
class TransitionRecord:
    """One step of the state machine: who moved which mention from what to what, and when."""

    id: int
    key: MentionKey
    from_state: ReviewState | None  # None for the first record (ingest)
    to_state: ReviewState
    actor: str  # a Slack user id, or "bot", "triage", "outbox:<worker>"...
    at: datetime
    text: str = ""  # the text concerned: draft, approved or edited reply, reason
    note: str = ""  # anything else: platform id, moderation action, error


class OutboxAction(StrEnum):
    REPLY = "reply"
    HIDE = "hide"


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting (possibly for a retry time)
    DONE = "done"  # delivered; platform_id holds the platform's id (replies)
    FAILED = "failed"  # given up


class AttemptOutcome(StrEnum):
    OPEN = "open"  # started, outcome not recorded yet (or the worker died)
    SENT = "sent"  # the platform accepted it
    ERROR = "error"  # the platform refused it: certainly not delivered
    UNKNOWN = "unknown"  # it may or may not have been delivered (timeout, connection lost...)


@dataclass(frozen=True)
class OutboxItem:
    """Something to do on a platform on behalf of a decision."""

    id: int
    key: MentionKey
    action: OutboxAction
    text: str  # the reply text ("" for hide)
    #: Stable for the item's whole life: every attempt passes the same key to the platform.
    idempotency_key: str
    status: OutboxStatus
    attempts: int  # attempts started
    next_attempt_at: datetime
    created_at: datetime
    lease_owner: str = ""
    lease_until: datetime | None = None
    platform_id: str = ""
    last_error: str = ""
    #: Outcome of the latest attempt (None: never attempted). OPEN or UNKNOWN means the
    #: platform must be asked (``find_sent``) before trying again.
    last_outcome: AttemptOutcome | None = None
    done_at: datetime | None = None

    @property
    def needs_reconcile(self) -> bool:
        return self.last_outcome in (AttemptOutcome.OPEN, AttemptOutcome.UNKNOWN)


@dataclass(frozen=True)
class AttemptRecord:
    item_id: int
    number: int  # 1, 2, ...
    idempotency_key: str
    worker: str
    started_at: datetime
    outcome: AttemptOutcome
    finished_at: datetime | None = None
    error: str = ""


@dataclass(frozen=True)
class SlackCard:
    """Where a mention's card was posted; ``primary`` is the review card, others are copies."""

    key: MentionKey
    channel: str
    ts: str
    primary: bool = True


@dataclass(frozen=True)
class Cover:
    """Who covers urgent mentions out of hours, until when."""

    who: str  # Slack user id
    label: str  # e.g. "Christmas cover"
    until: datetime
    set_at: datetime


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    mentions: int  # mentions whose personal data was blanked
    transitions: int  # transition texts blanked
    outbox: int  # outbox texts blanked
    interactions: int  # processed-interaction ids forgotten

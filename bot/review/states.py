"""The approval state machine: which states a mention goes through and which steps are allowed.

Pure: no I/O. The store persists the state and enforces these rules with a compare-and-set on
the state column; this module only says what is legal.

    received → triaged → queued_for_review → approved | edited | rejected | escalated
    approved | edited → sending → sent | failed
    queued_for_review | escalated → moderated (hidden / removed / left) | ignored

A person's decision (approve, edit, reject, escalate, moderate, ignore) is taken once: when two
people act on the same mention, the second finds it already decided
(:class:`bot.errors.AlreadyDecided`), not an illegal step.
"""

from __future__ import annotations

from enum import StrEnum

from bot.errors import AlreadyDecided, IllegalTransition


class ReviewState(StrEnum):
    RECEIVED = "received"  # stored, not triaged yet
    TRIAGED = "triaged"  # intent + flags (+ draft) recorded
    QUEUED_FOR_REVIEW = "queued_for_review"  # on a Slack card, waiting for a person
    APPROVED = "approved"  # the draft as it was; a reply is in the outbox
    EDITED = "edited"  # approved with text a person changed; a reply is in the outbox
    REJECTED = "rejected"  # no reply will be sent
    ESCALATED = "escalated"  # handed to someone else (e.g. Communications), still undecided
    SENDING = "sending"  # the outbox has started delivering the reply
    SENT = "sent"  # the platform accepted the reply; its id is stored
    FAILED = "failed"  # the outbox gave up; a person must look again
    MODERATED = "moderated"  # hidden, removed or left, by a person's decision
    IGNORED = "ignored"  # nothing to do (chatter, read-only platform, duplicate...)


class ModerationAction(StrEnum):
    """What a moderation decision does to the mention on its platform."""

    HIDE = "hide"  # hidden through the platform API (goes through the outbox)
    REMOVE = "remove"  # removed by a person on the platform (recorded only)
    LEAVE = "leave"  # looked at and left as it is (recorded only)


S = ReviewState

#: Every allowed step. States with no entry are final.
ALLOWED: dict[ReviewState, frozenset[ReviewState]] = {
    S.RECEIVED: frozenset({S.TRIAGED, S.IGNORED}),
    S.TRIAGED: frozenset({S.QUEUED_FOR_REVIEW, S.ESCALATED, S.IGNORED}),
    S.QUEUED_FOR_REVIEW: frozenset(
        {S.APPROVED, S.EDITED, S.REJECTED, S.ESCALATED, S.MODERATED, S.IGNORED}
    ),
    S.ESCALATED: frozenset(
        {S.APPROVED, S.EDITED, S.REJECTED, S.MODERATED, S.IGNORED, S.QUEUED_FOR_REVIEW}
    ),
    # approved/edited → failed: the outbox can give up before any attempt started
    # (e.g. no sender is configured for the platform).
    S.APPROVED: frozenset({S.SENDING, S.FAILED}),
    S.EDITED: frozenset({S.SENDING, S.FAILED}),
    S.SENDING: frozenset({S.SENT, S.FAILED}),
    # failed → sent: a worker that lost its lease learns late that its post went through.
    S.FAILED: frozenset({S.QUEUED_FOR_REVIEW, S.IGNORED, S.SENT}),
    S.REJECTED: frozenset(),
    S.SENT: frozenset(),
    S.MODERATED: frozenset(),
    S.IGNORED: frozenset(),
}

#: The steps a person takes from a Slack card.
DECISIONS = frozenset({S.APPROVED, S.EDITED, S.REJECTED, S.ESCALATED, S.MODERATED, S.IGNORED})

#: Still waiting for a person: what the review queue shows.
PENDING_REVIEW = frozenset({S.QUEUED_FOR_REVIEW, S.ESCALATED})

#: A reply is on its way: the mention must not be decided again.
OUTBOX_STATES = frozenset({S.APPROVED, S.EDITED, S.SENDING})

#: Nothing more will happen to the mention.
FINAL = frozenset(state for state, targets in ALLOWED.items() if not targets)

#: States reached only through somebody's decision (a decision, or what follows one).
_DECIDED = frozenset(
    {S.APPROVED, S.EDITED, S.REJECTED, S.ESCALATED, S.SENDING, S.SENT, S.FAILED,
     S.MODERATED, S.IGNORED}
)


def is_allowed(current: ReviewState, target: ReviewState) -> bool:
    return target in ALLOWED[current]


def check_transition(mention_key: str, current: ReviewState, target: ReviewState) -> None:
    """Raise unless ``current → target`` is allowed.

    A decision asked of a mention that somebody already decided raises
    :class:`~bot.errors.AlreadyDecided` (the usual double click, or two people at once);
    any other step the table does not allow raises :class:`~bot.errors.IllegalTransition`.
    """
    if is_allowed(current, target):
        return
    if target in DECISIONS and current in _DECIDED:
        raise AlreadyDecided(
            f"{mention_key} was already {current.value}, so it cannot become {target.value}"
        )
    raise IllegalTransition(mention_key, current.value, target.value)

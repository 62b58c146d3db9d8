"""The storage port: everything socialbot keeps, behind one small synchronous interface.

Adapters: :class:`bot.store.sqlite.SqliteStore` (embedded default, also in memory for tests)
and :class:`bot.store.postgres.PostgresStore` (several replicas sharing one queue).
:func:`bot.store.open_store` picks one from the settings. The API is synchronous; async code
calls it through ``asyncio.to_thread``. Every method is one transaction (the ``_many`` /
batch ones too: one commit for the batch).

Rules every adapter keeps:

- Ingest is idempotent on ``Mention.key``: the same mention delivered twice is stored once.
- Every state change is a compare-and-set on the stored state (``UPDATE ... WHERE state = ?``)
  and writes a :class:`TransitionRecord` (who, when, what text) in the same transaction.
  A step the state machine does not allow raises :class:`~bot.errors.IllegalTransition`; a
  decision on a mention somebody already decided (or that changed under the caller) raises
  :class:`~bot.errors.AlreadyDecided`. A key never ingested raises
  :class:`~bot.errors.UnknownMention`.
- ``expected``: the state the caller last saw (e.g. the one shown on the Slack card). When
  given and the stored state differs, the call raises AlreadyDecided and changes nothing.
- Approving (or hiding) writes the outbox item in the same transaction as the state change.
  The outbox is delivered by :class:`bot.store.outbox.OutboxSender` through
  :meth:`claim_outbox` / :meth:`start_attempt` / :meth:`record_sent` / :meth:`record_retry` /
  :meth:`record_failed`; an attempt is committed before the platform is called.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from bot.domain import Draft, Intent, Mention, Triage, TriageResult
from bot.review.states import ModerationAction, ReviewState
from bot.store.records import (
    AttemptOutcome,
    AttemptRecord,
    Cover,
    IngestResult,
    MentionKey,
    MentionRecord,
    OutboxItem,
    PurgeReport,
    SlackCard,
    TransitionRecord,
)


class Store(Protocol):
    # --- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close every connection. The store cannot be used afterwards."""

    # --- mentions --------------------------------------------------------------------------
    def ingest(self, mention: Mention) -> IngestResult:
        """Store a new mention in state ``received`` (with a transition by "ingest").

        Idempotent: a mention whose key is already stored is left as it is and returned
        with ``created=False``.
        """

    def ingest_many(self, mentions: Sequence[Mention]) -> list[IngestResult]:
        """:meth:`ingest` for a batch (e.g. one webhook delivery) in ONE transaction: every
        mention is stored, or (on an error) none is. Results in the order given; a key
        already stored, or repeated within the batch, comes back with ``created=False``."""

    def get(self, key: MentionKey) -> MentionRecord | None:
        """The stored mention, or None."""

    def in_state(self, state: ReviewState, limit: int = 100) -> list[MentionRecord]:
        """Mentions in one state, oldest received first (e.g. ``received`` ones to triage
        again after a restart)."""

    def review_queue(self, limit: int = 50) -> list[MentionRecord]:
        """Mentions waiting for a person (queued_for_review or escalated): urgent first,
        then oldest (by the mention's own time) first."""

    def counts_by_intent(self, day: date, tz: tzinfo) -> dict[Intent, int]:
        """How many triaged mentions of each intent were posted on ``day`` in time zone ``tz``.
        Intents with no mention are left out. Survives the retention purge."""

    # --- the state machine -----------------------------------------------------------------
    def record_triage(
        self, key: MentionKey, triage: Triage, draft: Draft | None, *, actor: str = "triage"
    ) -> MentionRecord:
        """received → triaged, keeping the intent, flags and the draft (if any)."""

    def submit_triaged(
        self, results: Sequence[TriageResult], *, actor: str = "triage"
    ) -> list[MentionRecord]:
        """For each result, in ONE transaction: ingest the mention (if new), received →
        triaged (as :meth:`record_triage`) → queued_for_review (as :meth:`queue_for_review`).
        A mention already past ``received`` keeps its triage; a ``triaged`` one is queued;
        any other is left as it is. Every step is still a compare-and-set with its
        transition. All or nothing: if a mention changed under the transaction, it raises
        AlreadyDecided and nothing of the batch is written. Records in the order given."""

    def queue_for_review(
        self, key: MentionKey, *, actor: str = "bot", note: str = ""
    ) -> MentionRecord:
        """triaged → queued_for_review (also escalated/failed → queued_for_review: handed back)."""

    def approve(
        self, key: MentionKey, *, actor: str, expected: ReviewState | None = None
    ) -> OutboxItem:
        """→ approved with the draft's text, and a reply in the outbox (one transaction).
        Raises IllegalTransition when there is no draft to approve."""

    def approve_edited(
        self, key: MentionKey, *, actor: str, text: str, expected: ReviewState | None = None
    ) -> OutboxItem:
        """→ edited: approved with ``text`` instead of the draft; a reply in the outbox."""

    def reject(
        self,
        key: MentionKey,
        *,
        actor: str,
        reason: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        """→ rejected: no reply will be sent."""

    def escalate(
        self, key: MentionKey, *, actor: str, note: str = "", expected: ReviewState | None = None
    ) -> MentionRecord:
        """→ escalated (e.g. to the Communications Team); still to be decided."""

    def moderate(
        self,
        key: MentionKey,
        *,
        actor: str,
        action: ModerationAction,
        note: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        """→ moderated. ``HIDE`` also puts a hide in the outbox (same transaction); ``REMOVE``
        and ``LEAVE`` are recorded only."""

    def ignore(
        self,
        key: MentionKey,
        *,
        actor: str,
        reason: str = "",
        expected: ReviewState | None = None,
    ) -> MentionRecord:
        """→ ignored: nothing to do."""

    def history(self, key: MentionKey) -> list[TransitionRecord]:
        """Every transition of one mention, oldest first."""

    def transitions(self, since: datetime | None = None) -> Iterator[TransitionRecord]:
        """Every transition of every mention (at or after ``since``), oldest first."""

    # --- the outbox ------------------------------------------------------------------------
    def claim_outbox(
        self, worker: str, *, lease: timedelta, limit: int = 10
    ) -> list[OutboxItem]:
        """Lease up to ``limit`` pending items that are due (or whose lease expired) to
        ``worker``, oldest first. Two workers never hold the same item."""

    def start_attempt(
        self, item_id: int, worker: str, *, lease: timedelta | None = None
    ) -> OutboxItem:
        """Commit an attempt (outcome OPEN) BEFORE the platform is called; a reply's mention
        moves approved/edited → sending. Raises LeaseLost if ``worker`` no longer holds it.
        ``lease``: renew the lease for that long from now, so that it outlasts the call."""

    def record_sent(self, item_id: int, worker: str, platform_id: str) -> OutboxItem:
        """The platform has it: item done with the platform's id; a reply's mention → sent.
        Recorded even if the lease was lost meanwhile (the post happened)."""

    def record_retry(
        self,
        item_id: int,
        worker: str,
        *,
        error: str,
        retry_at: datetime,
        outcome: AttemptOutcome | None = None,
    ) -> OutboxItem:
        """Not delivered this time: close the open attempt with ``outcome`` (ERROR: surely not
        delivered; UNKNOWN: maybe delivered, ask the platform first next time), release the
        lease and wait until ``retry_at``."""

    def record_failed(
        self, item_id: int, worker: str, *, error: str, outcome: AttemptOutcome | None = None
    ) -> OutboxItem:
        """Give up: item failed; a reply's mention → failed (a person must look again)."""

    def outbox_item(self, item_id: int) -> OutboxItem:
        """One outbox item; raises StoreError if there is none."""

    def outbox_for(self, key: MentionKey) -> list[OutboxItem]:
        """A mention's outbox items, oldest first."""

    def attempts(self, item_id: int) -> list[AttemptRecord]:
        """An item's attempts, first first."""

    # --- Slack cards -----------------------------------------------------------------------
    def set_card(self, key: MentionKey, channel: str, ts: str, *, primary: bool = True) -> None:
        """Remember a card posted for a mention (one per channel; setting again replaces it).
        ``primary`` is the review card; copies in other channels are not."""

    def card(self, key: MentionKey) -> SlackCard | None:
        """The primary review card, if any."""

    def cards(self, key: MentionKey) -> list[SlackCard]:
        """Every card of a mention, the primary first."""

    def find_by_card(self, channel: str, ts: str) -> MentionKey | None:
        """The mention a card belongs to."""

    # --- small state for the service and the Slack app --------------------------------------
    def get_cursor(self, source: str) -> str | None:
        """A polling source's saved cursor (e.g. 'twitter:mentions' → since_id)."""

    def set_cursor(self, source: str, value: str) -> None:
        """Save a polling cursor."""

    def set_cover(self, who: str, label: str, until: datetime) -> Cover:
        """Somebody covers out-of-hours urgent mentions until ``until`` (replaces any cover)."""

    def clear_cover(self) -> None:
        """Nobody covers any more."""

    def get_cover(self) -> Cover | None:
        """The current cover, or None if there is none or it has run out."""

    def record_once(self, key: str) -> bool:
        """True the first time ``key`` (e.g. a Slack interaction id) is seen, False after."""

    # --- retention -------------------------------------------------------------------------
    def purge(self, cutoff: datetime) -> PurgeReport:
        """Blank the personal data (text, author, url, drafts, decision texts) of mentions
        posted before ``cutoff``; counts, intents, flags, states and decisions stay.
        Mentions with a reply still in the outbox are left until it is delivered."""


class PlatformSender(Protocol):
    """What the outbox needs from a platform adapter (one per answerable platform).

    A sender whose platform cannot list what was sent may say so with a class attribute
    ``can_find_sent = False``: the outbox then never re-sends a reply whose first attempt is
    in doubt, and hands it to a person instead.
    """

    async def send_reply(self, mention: Mention, text: str, idempotency_key: str) -> str:
        """Post ``text`` as a reply to ``mention``; return the platform's id of the reply.
        Raise PlatformError(retryable=...) when the platform refuses; any other exception
        means the outcome is unknown."""

    async def hide(self, mention: Mention) -> None:
        """Hide the mention on its platform (hiding twice is harmless)."""

    async def find_sent(self, mention: Mention, idempotency_key: str) -> str | None:
        """The id of a reply to ``mention`` already posted with this key, or None."""

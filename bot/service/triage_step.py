"""One triage step, the same for the service and ``socialbot ingest``: stored mentions in,
triaged and queued for review out.

Only mentions still ``received`` are triaged (a repeat, or one that another worker got to
first, is left as it is). A batch that fails as a whole is tried one mention at a time, so a
single unreadable mention cannot hold the others back; one that still fails stays
``received`` in the store and is tried again later. Synchronous: async callers run it in a
worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.domain import Mention, TriageResult
from bot.errors import SocialbotError
from bot.processing import MentionProcessor
from bot.review.service import submit_for_review
from bot.review.states import ReviewState
from bot.store.port import Store
from bot.store.records import MentionKey, MentionRecord, describe_key

log = logging.getLogger(__name__)


def triage_and_queue(
    store: Store, processor: MentionProcessor, keys: Iterable[MentionKey]
) -> list[MentionRecord]:
    """Triage the ``received`` mentions among ``keys`` and queue them for review."""
    mentions = still_received(store, keys)
    records: list[MentionRecord] = []
    for result, record in _submit(store, _process(processor, mentions)):
        records.append(record)
        flags = result.triage.sorted_flags
        log.info(
            "triaged %s: %s%s", describe_key(record.key), result.triage.intent.value,
            f" [{', '.join(flags)}]" if flags else "",
        )
    return records


def _submit(
    store: Store, results: list[TriageResult]
) -> list[tuple[TriageResult, MentionRecord]]:
    """Queue the batch for review in one transaction; if that fails as a whole (somebody
    changed one of them meanwhile, a database error), one mention at a time, so the others
    are not held back."""
    if not results:
        return []
    try:
        return list(zip(results, store.submit_triaged(results), strict=True))
    except SocialbotError as exc:
        log.warning("queueing %d mentions at once failed (%s); one by one", len(results), exc)
    submitted: list[tuple[TriageResult, MentionRecord]] = []
    for result in results:
        try:
            submitted.append((result, submit_for_review(store, result)))
        except SocialbotError as exc:
            log.error("could not queue %s for review: %s", describe_key(result.mention.key), exc)
    return submitted


def still_received(store: Store, keys: Iterable[MentionKey]) -> list[Mention]:
    mentions: dict[MentionKey, Mention] = {}
    for key in keys:
        record = store.get(key)
        if record is not None and record.state is ReviewState.RECEIVED:
            mentions.setdefault(key, record.mention)
    return list(mentions.values())


def _process(processor: MentionProcessor, mentions: list[Mention]) -> list[TriageResult]:
    if not mentions:
        return []
    try:
        return list(processor.process_all(mentions))
    except Exception:
        if len(mentions) == 1:
            log.exception("triage of %s failed", describe_key(mentions[0].key))
            return []
        log.exception("batch triage failed; triaging the %d mentions one by one", len(mentions))
    results: list[TriageResult] = []
    for mention in mentions:
        try:
            results.append(processor.process(mention))
        except Exception:
            log.exception("triage of %s failed", describe_key(mention.key))
    return results

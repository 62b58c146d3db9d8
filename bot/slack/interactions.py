"""A person's click or dialog, from Slack payload to decision to redrawn card.

The listeners only ack and turn the payload into a :class:`Click`; everything after is here:
de-duplicate (a retried request or a resent payload changes nothing twice), check who may
act, decide through the review service, redraw the cards, and tell the person, only them,
when something stopped their action.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from bot.errors import (
    AlreadyDecided,
    IllegalTransition,
    InputError,
    NotAllowed,
    StoreError,
    UnknownMention,
)
from bot.review.service import Decision, DecisionRequest, decide, required_role
from bot.review.states import PENDING_REVIEW
from bot.slack.cards import ACTION_PREFIX, CardRef, decision_text
from bot.slack.services import SlackServices
from bot.store.records import MentionRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Click:
    """A decision somebody asked for, whichever way it came (button or dialog)."""

    user: str
    ref: CardRef
    decision: Decision
    channel: str  # where to answer them ("" for a direct message)
    message_ts: str
    #: Unique per real interaction, the same for Slack's retries of it.
    dedupe_key: str
    text: str = ""
    reason: str = ""


def click_from_block_action(body: dict[str, Any]) -> Click:
    """The Click in a ``block_actions`` payload; raises InputError for anything else."""
    try:
        action = body["actions"][0]
        decision = Decision(str(action["action_id"]).removeprefix(ACTION_PREFIX))
        ref = CardRef.decode(str(action["value"]))
        who = str(body["user"]["id"])
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise InputError("a button payload socialbot cannot read") from exc
    channel = str((body.get("channel") or {}).get("id") or body.get("container", {}).get(
        "channel_id", ""))
    message_ts = str((body.get("message") or {}).get("ts") or body.get("container", {}).get(
        "message_ts", ""))
    action_ts = str(action.get("action_ts") or body.get("trigger_id") or "")
    return Click(
        user=who,
        ref=ref,
        decision=decision,
        channel=channel,
        message_ts=message_ts,
        dedupe_key=f"slack:action:{who}:{action['action_id']}:{action_ts}",
    )


def pending_record(services: SlackServices, click: Click) -> MentionRecord | None:
    """The mention if it still waits for a decision; otherwise tell the person and None."""
    record = services.store.get(click.ref.key)
    if record is None:
        services.tell(click.user, click.channel, "I can't find that mention any more.")
        return None
    if record.state not in PENDING_REVIEW:
        services.tell(click.user, click.channel, already_text(record, services.tz))
        return None
    return record


def handle(services: SlackServices, click: Click) -> MentionRecord | None:
    """Carry out ``click``; returns the mention afterwards, or None if nothing changed."""
    store = services.store
    if not store.record_once(click.dedupe_key):
        log.info("ignoring a repeat of %s", click.dedupe_key)
        return None
    record = store.get(click.ref.key)
    if record is None:
        services.tell(click.user, click.channel, "I can't find that mention any more.")
        return None
    try:
        services.permissions.require(click.user, required_role(record, click.decision))
    except NotAllowed as exc:
        log.info("%s may not %s %s", click.user, click.decision.value, click.ref.key)
        services.tell(click.user, click.channel, exc.user_message())
        return None
    request = DecisionRequest(
        key=click.ref.key,
        decision=click.decision,
        actor=click.user,
        expected=click.ref.state,
        text=click.text,
        reason=click.reason,
    )
    try:
        after = decide(store, request)
    except AlreadyDecided:
        now = store.get(click.ref.key)
        text = already_text(now, services.tz) if now else "Already done."
        services.tell(click.user, click.channel, text)
        services.desk.refresh(click.ref.key)
        return None
    except (IllegalTransition, UnknownMention, InputError) as exc:
        services.tell(click.user, click.channel, f"That can't be done: {exc.user_message()}")
        return None
    except StoreError as exc:
        log.error("deciding %s failed: %s", click.ref.key, exc)
        services.tell(click.user, click.channel, "Something went wrong saving that; "
                      "nothing was changed. Please try again.")
        return None
    log.info("%s: %s by %s", click.ref.key, after.state.value, click.user)
    services.desk.refresh(click.ref.key, note=click.reason)
    return after


def already_text(record: MentionRecord, tz: tzinfo) -> str:
    """Why a button did nothing: somebody decided first."""
    done = decision_text(record, tz)
    if not done:
        return "This changed while you were looking at it; the card now shows where it stands."
    return f"Already done: {done}. Nothing else was changed."

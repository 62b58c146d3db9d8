"""Review cards: a mention, what triage made of it, the draft, and the buttons to decide.

Built with ``slack_sdk.models`` so that Block Kit's limits are checked when the card is made
(``to_dict()`` validates), not discovered when Slack refuses it. A card is rendered from the
stored record alone, so the same function draws a new card, a card after a decision, and a
card redrawn after a restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain import Flag
from bot.errors import InputError
from bot.review.service import MODERATION_INTENTS, Decision, needs_comms, needs_moderation
from bot.review.states import PENDING_REVIEW, ModerationAction, ReviewState
from bot.slack import labels
from bot.slack.mrkdwn import escape, link, quoted_chunks, truncate, user, when
from bot.store.records import MentionKey, MentionRecord

#: Slack's own limits (also enforced by slack_sdk.models when a block is built).
SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
#: A very long mention is shown in at most this many pieces; the link has the rest.
MAX_TEXT_PIECES = 12
MAX_DRAFT_PIECES = 6
#: The notification text (what a phone shows) stays short.
NOTIFICATION_SNIPPET = 150

ACTION_PREFIX = "socialbot."
REVIEW_BLOCK = "socialbot_review"
MODERATION_BLOCK = "socialbot_moderation"
RETRY_BLOCK = "socialbot_retry"


def action_id(decision: Decision) -> str:
    return ACTION_PREFIX + decision.value


@dataclass(frozen=True)
class CardRef:
    """What a button carries: which mention, and the state the card showed when drawn."""

    key: MentionKey
    state: ReviewState

    def encode(self) -> str:
        return json.dumps({"k": list(self.key), "s": self.state.value}, separators=(",", ":"))

    @staticmethod
    def decode(value: str) -> CardRef:
        try:
            data = json.loads(value)
            key = data["k"]
            state = ReviewState(data["s"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a socialbot button value: {value[:80]!r}") from exc
        if not (isinstance(key, list) and len(key) == 3 and all(isinstance(v, str) for v in key)):
            raise InputError(f"not a socialbot button value: {value[:80]!r}")
        return CardRef((key[0], key[1], key[2]), state)

    @staticmethod
    def of(record: MentionRecord) -> CardRef:
        return CardRef(record.key, record.state)


@dataclass(frozen=True)
class Card:
    """A message ready for chat.postMessage / chat.update."""

    text: str  # the notification text (also what screen readers and old clients show)
    blocks: list[dict[str, Any]]


def render_card(record: MentionRecord, *, tz: tzinfo, alert: str = "", note: str = "") -> Card:
    """The card for ``record`` as it stands now.

    ``alert``: mrkdwn mentions to ping (user, user group) shown at the top of a new card.
    ``note``: a reason or comment shown with the decision (e.g. why it was rejected).
    """
    mention = record.mention
    triage = record.triage
    blocks: list[Block] = []
    if alert:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=alert)))
    blocks.append(HeaderBlock(text=PlainTextObject(text=_title(record), emoji=True)))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=_who(record))))
    blocks.extend(_pieces(mention.text, MAX_TEXT_PIECES, mention.url))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_where_when(record, tz))]))
    if triage is not None:
        fields = [
            MarkdownTextObject(
                text=f"*Intent*\n{labels.intent_label(triage.intent)} "
                f"({triage.confidence:.0%} sure)"
            ),
            MarkdownTextObject(
                text="*Flags*\n" + ("\n".join(labels.flag_labels(triage.flags)) or "None")
            ),
        ]
        blocks.append(SectionBlock(fields=fields))
    blocks.append(DividerBlock())
    blocks.extend(_draft_blocks(record))
    decided = _decision_line(record, tz, note)
    if decided:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=decided)]))
    if record.state in PENDING_REVIEW:
        blocks.extend(_buttons(record))
    return Card(_notification(record, alert), _to_dicts(blocks))


def render_sent(record: MentionRecord, reply_url: str, *, tz: tzinfo) -> Card:
    """The thread reply once the platform has our reply: what was sent, and where."""
    sent_at = when(record.updated_at.astimezone(tz))
    where = link(reply_url, "See it on " + labels.PLATFORM_LABELS[record.mention.platform])
    head = f"✅ *Sent* at {sent_at}" + (f" · {where}" if reply_url else "")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=head))]
    blocks.extend(_pieces(record.reply_text, MAX_DRAFT_PIECES, ""))
    return Card("Reply sent", _to_dicts(blocks))


def render_failed(
    record: MentionRecord, error: str, *, tz: tzinfo, in_doubt: bool = False
) -> Card:
    """The thread reply when the outbox gave up: the error and a Retry button.

    ``in_doubt``: the last attempt may have reached the platform (it timed out, say), so the
    person is asked to look before sending again.
    """
    failed_at = when(record.updated_at.astimezone(tz))
    advice = (
        "⚠️ It may have been posted after all: look on the platform before pressing Retry."
        if in_doubt
        else "Nothing was posted."
    )
    text = (
        f"❌ *Sending failed* at {failed_at}: {escape(truncate(error, 1000)) or 'no detail'}\n"
        f"{advice} Retry sends the same text again."
    )
    retry = ButtonElement(
        text="Retry",
        action_id=action_id(Decision.RETRY),
        value=CardRef.of(record).encode(),
        style="primary",
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=RETRY_BLOCK, elements=[retry]),
    ]
    return Card("Sending failed", _to_dicts(blocks))


def render_note(text: str, fallback: str) -> Card:
    """A one-paragraph message (mrkdwn ``text``, already escaped where it must be)."""
    return Card(fallback, _to_dicts([_note(truncate(text, SECTION_TEXT_LIMIT))]))


def render_retried(actor: str, error: str, *, at: str) -> Card:
    """The failed thread reply once somebody pressed Retry (its button goes)."""
    text = (
        f"❌ *Sending failed*: {escape(truncate(error, 1000)) or 'no detail'}\n"
        f"🔁 Retried by {user(actor)} at {at}"
    )
    return Card("Sending failed; retried", _to_dicts([_note(text)]))


# ----- pieces ---------------------------------------------------------------------------------


def _title(record: MentionRecord) -> str:
    platform = labels.PLATFORM_LABELS[record.mention.platform]
    triage = record.triage
    if triage is None:
        return f"New {labels.KIND_LABELS[record.mention.kind]} on {platform}"
    icon = "🚨 " if triage.has(Flag.URGENT) else ""
    return truncate(f"{icon}{labels.intent_label(triage.intent)} · {platform}", 150)


def _who(record: MentionRecord) -> str:
    mention = record.mention
    author = mention.author
    name = f"*{escape(author.name)}* " if author.name else ""
    handle = f"@{escape(author.handle)}" if author.handle else "unknown author"
    account = f" to {escape(mention.account)}" if mention.account else ""
    kind = labels.KIND_LABELS[mention.kind]
    return truncate(f"{name}({handle}) · {kind}{account}", SECTION_TEXT_LIMIT)


def _where_when(record: MentionRecord, tz: tzinfo) -> str:
    mention = record.mention
    parts = [when(mention.created_at.astimezone(tz))]
    triage = record.triage
    if triage is not None:
        parts.append("🌙 Out of hours" if triage.has(Flag.OUT_OF_HOURS) else "In office hours")
    platform = labels.PLATFORM_LABELS[mention.platform]
    if mention.url:
        parts.append(link(mention.url, f"Open on {platform}"))
    return " · ".join(parts)


def _pieces(text: str, max_pieces: int, url: str) -> list[Block]:
    """``text`` quoted, in as many sections as it takes (at most ``max_pieces``)."""
    if not text.strip():
        return [SectionBlock(text=MarkdownTextObject(text="_(no text)_"))]
    chunks = quoted_chunks(text, SECTION_TEXT_LIMIT)
    if len(chunks) > max_pieces:
        rest = "the rest is on the platform" if url else "the rest is not shown"
        tail = f"\n_… cut here: {rest}._"
        chunks = chunks[:max_pieces]
        chunks[-1] = truncate(chunks[-1], SECTION_TEXT_LIMIT - len(tail)) + tail
    return [SectionBlock(text=MarkdownTextObject(text=c)) for c in chunks]


def _draft_blocks(record: MentionRecord) -> list[Block]:
    mention, triage, draft = record.mention, record.triage, record.draft
    if not mention.platform.answerable:
        return [_note("🚫 *No reply:* we do not join discussions on this platform (policy 3.1).")]
    if record.reply_text and record.state not in PENDING_REVIEW:
        heading = "*Reply as approved*"
        text = record.reply_text
    elif draft is not None:
        heading = "*Suggested reply*"
        text = draft.text
    elif triage is not None and triage.intent in MODERATION_INTENTS:
        what = labels.intent_label(triage.intent).lower()
        return [_note(f"🛡️ *No reply:* this looks like {what}. Hide it, remove it, or leave it.")]
    else:
        return [_note("*No reply suggested.* Mark it as needing no reply, or write one.")]
    blocks: list[Block] = [_note(heading)]
    blocks.extend(_pieces(text, MAX_DRAFT_PIECES, ""))
    if triage is not None and triage.has(Flag.PERSONAL_DATA):
        blocks.append(_note("🔒 Do not repeat personal details; move the conversation to DM."))
    return blocks


def _note(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def decision_text(record: MentionRecord, tz: tzinfo) -> str:
    """Who did what and when, e.g. '✅ Approved by <@U1> at Tue 12 Nov, 10:00 · 📨 sent at …';
    "" while nobody has decided."""
    state = record.state
    if state in (ReviewState.RECEIVED, ReviewState.TRIAGED, ReviewState.QUEUED_FOR_REVIEW):
        return ""
    if state is ReviewState.MODERATED and record.moderation is not None:
        verb = labels.MODERATION_VERBS[record.moderation]
    elif state in _DELIVERY_STATES:
        edited = record.draft is None or record.reply_text != record.draft.text
        verb = labels.STATE_VERBS[ReviewState.EDITED if edited else ReviewState.APPROVED]
    else:
        verb = labels.STATE_VERBS.get(state, state.value)
    by = f" by {user(record.decided_by)}" if record.decided_by else ""
    at = record.decided_at or record.updated_at
    text = f"{verb}{by} at {when(at.astimezone(tz))}"
    if state in _DELIVERY_STATES:
        text += _DELIVERY_STATES[state].format(at=when(record.updated_at.astimezone(tz)))
    return text


def _decision_line(record: MentionRecord, tz: tzinfo, note: str) -> str:
    line = decision_text(record, tz)
    if line and note:
        line += f": {escape(truncate(note, 500))}"
    if record.state is ReviewState.ESCALATED:
        line += "\nOnly the Comms Team can decide this now."
    return line


#: After approval, what the outbox did, appended to "Approved by … at …".
_DELIVERY_STATES = {
    ReviewState.SENDING: " · 📤 sending…",
    ReviewState.SENT: " · 📨 sent at {at}",
    ReviewState.FAILED: " · ❌ sending failed at {at} (see the thread)",
}


def _buttons(record: MentionRecord) -> list[Block]:
    value = CardRef.of(record).encode()
    mention = record.mention
    comms = needs_comms(record)
    moderation = needs_moderation(record)
    blocks: list[Block] = []
    if mention.platform.answerable and record.draft is not None:
        reply = [
            ButtonElement(
                text="Approve",
                action_id=action_id(Decision.APPROVE),
                value=value,
                style="primary",
                confirm=_confirm_send(record),
            ),
            ButtonElement(text="Edit", action_id=action_id(Decision.EDIT), value=value),
            ButtonElement(
                text="Reject", action_id=action_id(Decision.REJECT), value=value, style="danger"
            ),
        ]
        if not comms:
            reply.append(
                ButtonElement(
                    text="Escalate to Comms", action_id=action_id(Decision.ESCALATE), value=value
                )
            )
        blocks.append(ActionsBlock(block_id=REVIEW_BLOCK, elements=reply))
    if moderation:
        choices = [ModerationAction.REMOVE, ModerationAction.LEAVE]
        if mention.platform.answerable:
            choices.insert(0, ModerationAction.HIDE)
        blocks.append(
            ActionsBlock(
                block_id=MODERATION_BLOCK,
                elements=[
                    ButtonElement(
                        text=labels.MODERATION_LABELS[choice],
                        action_id=ACTION_PREFIX + choice.value,
                        value=value,
                        style="danger" if choice is ModerationAction.HIDE else None,
                    )
                    for choice in choices
                ],
            )
        )
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="*Hide*: we hide it through the platform. *Remove*: you deleted it "
                        "on the platform yourself. *Leave*: keep it as it is."
                        if mention.platform.answerable
                        else "*Remove*: you deleted it on the platform yourself. "
                        "*Leave*: keep it as it is."
                    )
                ]
            )
        )
    if record.draft is None and not moderation:
        elements = [
            ButtonElement(
                text="No reply needed", action_id=action_id(Decision.NO_REPLY), value=value
            )
        ]
        if mention.platform.answerable:
            elements.append(
                ButtonElement(text="Write a reply", action_id=action_id(Decision.EDIT), value=value)
            )
        blocks.append(ActionsBlock(block_id=REVIEW_BLOCK, elements=elements))
    return blocks


def _confirm_send(record: MentionRecord) -> ConfirmObject:
    draft = record.draft.text if record.draft is not None else ""
    platform = labels.PLATFORM_LABELS[record.mention.platform]
    return ConfirmObject(
        title="Send this reply?",
        text=MarkdownTextObject(text=escape(truncate(draft, 280))),
        confirm=f"Send on {platform}",
        deny="Not yet",
    )


def _notification(record: MentionRecord, alert: str) -> str:
    mention = record.mention
    triage = record.triage
    what = labels.intent_label(triage.intent) if triage is not None else "New mention"
    platform = labels.PLATFORM_LABELS[mention.platform]
    snippet = escape(truncate(" ".join(mention.text.split()), NOTIFICATION_SNIPPET))
    head = f"{alert} " if alert else ""
    return f"{head}{what} on {platform} from @{escape(mention.author.handle)}: {snippet}"


def _to_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        raise InputError(f"a card would have {len(blocks)} blocks; Slack allows 50")
    return [b.to_dict() for b in blocks]

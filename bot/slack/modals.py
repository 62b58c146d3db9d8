"""The two dialogs a card opens: Edit (the draft, to change and send) and Reject (a reason).

What the dialog is about travels in ``private_metadata``: the mention, the state the card
showed, and where the card is (for the refusal or confirmation a person sees afterwards).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.errors import InputError
from bot.review.service import MAX_REPLY_CHARS
from bot.slack import labels
from bot.slack.cards import CardRef
from bot.slack.mrkdwn import escape, quote, truncate
from bot.store.records import MentionRecord

EDIT_CALLBACK = "socialbot.edit_submit"
REJECT_CALLBACK = "socialbot.reject_submit"
REPLY_BLOCK, REPLY_INPUT = "reply", "text"
REASON_BLOCK, REASON_INPUT = "reason", "text"
#: Slack's limit for a plain-text input.
INPUT_LIMIT = 3000


@dataclass(frozen=True)
class ModalContext:
    ref: CardRef
    channel: str  # where the card that opened the dialog is ("" from App Home)
    message_ts: str

    def encode(self) -> str:
        return json.dumps(
            {"r": self.ref.encode(), "c": self.channel, "t": self.message_ts},
            separators=(",", ":"),
        )

    @staticmethod
    def decode(text: str) -> ModalContext:
        try:
            data = json.loads(text)
            return ModalContext(CardRef.decode(data["r"]), str(data["c"]), str(data["t"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError("this dialog's details could not be read") from exc


def edit_modal(record: MentionRecord, context: ModalContext) -> dict[str, Any]:
    platform = record.mention.platform
    limit = min(MAX_REPLY_CHARS.get(platform, INPUT_LIMIT), INPUT_LIMIT)
    initial = record.draft.text if record.draft is not None else ""
    original = quote(escape(truncate(record.mention.text, 1500))) or "_(no text)_"
    author = escape(record.mention.author.handle)
    view = View(
        type="modal",
        callback_id=EDIT_CALLBACK,
        private_metadata=context.encode(),
        title=PlainTextObject(text="Edit reply"),
        submit=PlainTextObject(text="Approve and send"),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"@{author} on {labels.PLATFORM_LABELS[platform]}:\n{original}"
                    )
                ]
            ),
            InputBlock(
                block_id=REPLY_BLOCK,
                label=PlainTextObject(text=f"Reply (at most {limit} characters)"),
                element=PlainTextInputElement(
                    action_id=REPLY_INPUT,
                    multiline=True,
                    initial_value=initial[:limit] or None,
                    max_length=limit,
                ),
                hint=PlainTextObject(
                    text="Sent exactly as written once you press Approve and send."
                ),
            ),
        ],
    )
    return view.to_dict()


def reject_modal(record: MentionRecord, context: ModalContext) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=REJECT_CALLBACK,
        private_metadata=context.encode(),
        title=PlainTextObject(text="Reject reply"),
        submit=PlainTextObject(text="Reject"),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            InputBlock(
                block_id=REASON_BLOCK,
                optional=True,
                label=PlainTextObject(text="Why? (optional, shown on the card)"),
                element=PlainTextInputElement(action_id=REASON_INPUT, multiline=True,
                                              max_length=500),
            ),
        ],
    )
    return view.to_dict()


def submitted_text(view: dict[str, Any], block_id: str, action_id: str) -> str:
    """The value typed into an input of a submitted view ("" when left empty)."""
    values = view.get("state", {}).get("values", {})
    value = values.get(block_id, {}).get(action_id, {}).get("value")
    return value if isinstance(value, str) else ""

"""Dialog submissions: the edited reply, the reason for rejecting.

An edited reply that cannot be sent (empty, too long for the platform) is refused inside the
dialog itself (``response_action: errors``), which has to be the ack; everything else acks
first and then decides.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.domain import Platform
from bot.errors import InputError
from bot.review.service import Decision, reply_problem
from bot.slack.interactions import Click, handle
from bot.slack.modals import (
    EDIT_CALLBACK,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT_CALLBACK,
    REPLY_BLOCK,
    REPLY_INPUT,
    ModalContext,
    submitted_text,
)
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    @app.view(EDIT_CALLBACK)
    def on_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            context = ModalContext.decode(str(view.get("private_metadata", "")))
            platform = Platform(context.ref.key[0])
        except (InputError, ValueError) as exc:
            ack(response_action="errors", errors={REPLY_BLOCK: str(exc)})
            return
        text = submitted_text(view, REPLY_BLOCK, REPLY_INPUT)
        problem = reply_problem(platform, text)
        if problem is not None:
            ack(response_action="errors", errors={REPLY_BLOCK: problem})
            return
        ack()
        handle(services, _click(body, view, context, Decision.EDIT, text=text))

    @app.view(REJECT_CALLBACK)
    def on_reject(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        try:
            context = ModalContext.decode(str(view.get("private_metadata", "")))
        except InputError as exc:
            log.warning("ignoring a reject dialog: %s", exc)
            return
        reason = submitted_text(view, REASON_BLOCK, REASON_INPUT).strip()
        handle(services, _click(body, view, context, Decision.REJECT, reason=reason))


def _click(
    body: dict[str, Any],
    view: dict[str, Any],
    context: ModalContext,
    decision: Decision,
    *,
    text: str = "",
    reason: str = "",
) -> Click:
    return Click(
        user=str(body["user"]["id"]),
        ref=context.ref,
        decision=decision,
        channel=context.channel,
        message_ts=context.message_ts,
        dedupe_key=f"slack:view:{view.get('id', '')}:{decision.value}",
        text=text,
        reason=reason,
    )

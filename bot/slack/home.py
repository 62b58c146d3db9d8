"""App Home: what is waiting (urgent first, then oldest), today's counts, who is on cover."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain import Intent
from bot.review.states import ReviewState
from bot.slack import labels
from bot.slack.mrkdwn import escape, link, truncate, user, when
from bot.store.records import Cover, MentionRecord

#: A home tab holds at most 100 blocks; the queue gets most of them.
MAX_QUEUE_ITEMS = 40
SNIPPET = 140

#: A link to a mention's card, or "" when it has none.
CardLink = Callable[[MentionRecord], str]


def render_home(
    queue: list[MentionRecord],
    counts: dict[Intent, int],
    cover: Cover | None,
    *,
    now: datetime,
    tz: tzinfo,
    card_link: CardLink,
) -> dict[str, Any]:
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Social media inbox")),
        SectionBlock(text=MarkdownTextObject(text=cover_text(cover, tz))),
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=f"Waiting for review ({len(queue)})")),
    ]
    if not queue:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="Nothing is waiting. 🎉")))
    for record in queue[:MAX_QUEUE_ITEMS]:
        line = _queue_line(record, now, tz, card_link)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line)))
    if len(queue) > MAX_QUEUE_ITEMS:
        more = len(queue) - MAX_QUEUE_ITEMS
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more} more.")]))
    blocks += [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text="Today")),
        SectionBlock(text=MarkdownTextObject(text=counts_text(counts))),
        ContextBlock(
            elements=[MarkdownTextObject(text=f"Updated {when(now.astimezone(tz))}")]
        ),
    ]
    return View(type="home", blocks=blocks).to_dict()


def cover_text(cover: Cover | None, tz: tzinfo) -> str:
    if cover is None:
        return (
            "🌙 *Nobody is on cover.* Out of hours, cards wait for the next opening time; "
            "urgent ones still alert the rota."
        )
    label = f" for *{escape(cover.label)}*" if cover.label else ""
    return f"🌙 {user(cover.who)} is on cover{label} until {when(cover.until.astimezone(tz))}."


def counts_text(counts: dict[Intent, int]) -> str:
    """Today's mentions by intent, busiest first."""
    if not counts:
        return "No mentions yet today."
    total = sum(counts.values())
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], labels.intent_label(kv[0])))
    lines = [f"• {labels.intent_label(intent)}: *{n}*" for intent, n in rows]
    return f"*{total}* mention{'s' if total != 1 else ''} today\n" + "\n".join(lines)


def _queue_line(record: MentionRecord, now: datetime, tz: tzinfo, card_link: CardLink) -> str:
    mention, triage = record.mention, record.triage
    icon = "🚨 " if record.urgent else ""
    intent = labels.intent_label(triage.intent) if triage is not None else "Not triaged"
    waited = _age(now - mention.created_at)
    escalated = " · 📣 with Comms" if record.state is ReviewState.ESCALATED else ""
    snippet = escape(truncate(" ".join(mention.text.split()), SNIPPET))
    url = card_link(record)
    platform = labels.PLATFORM_LABELS[mention.platform]
    title = f"{icon}*{intent}* · {platform} · @{escape(mention.author.handle)}"
    where = f" · {link(url, 'open card')}" if url else ""
    return f"{title}{escalated}\n{snippet}\n_waiting {waited}_{where}"


def _age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"

"""Cards, dialogs and the home tab are valid Block Kit for every intent, and within limits."""

from __future__ import annotations

import html
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.domain import (
    NO_DRAFT_INTENTS,
    Author,
    Draft,
    Flag,
    Intent,
    Kind,
    Mention,
    Platform,
    Triage,
)
from bot.errors import InputError
from bot.review.states import ModerationAction, ReviewState
from bot.slack.cards import (
    CardRef,
    render_card,
    render_failed,
    render_note,
    render_sent,
)
from bot.slack.home import render_home
from bot.slack.modals import ModalContext, edit_modal, reject_modal
from bot.slack.mrkdwn import quoted_chunks
from bot.store.records import Cover, MentionRecord

LONDON = ZoneInfo("Europe/London")
WHEN = datetime(2024, 11, 12, 18, 32, tzinfo=UTC)
SECTION_LIMIT = 3000


def record(
    intent: Intent,
    platform: Platform = Platform.FACEBOOK,
    *,
    text: str = "Hello, my boiler is broken",
    state: ReviewState = ReviewState.QUEUED_FOR_REVIEW,
    flags: frozenset[Flag] = frozenset(),
    draft: str | None = "Sorry to hear that, please call us.",
    n: int = 1,
    **extra: Any,
) -> MentionRecord:
    if intent in NO_DRAFT_INTENTS or not platform.answerable:
        draft = None
    mention = Mention(
        id=str(n),
        platform=platform,
        kind=Kind.COMMENT,
        author=Author("jane", "Jane <Tenant> & co"),
        text=text,
        created_at=WHEN - timedelta(minutes=n),
        account="westkent",
        url="https://www.facebook.com/123",
    )
    return MentionRecord(
        mention=mention,
        state=state,
        triage=Triage(intent, 0.83, flags),
        draft=Draft(draft, intent.value, platform) if draft is not None else None,
        received_at=WHEN,
        updated_at=WHEN,
        **extra,
    )


def assert_valid_message(blocks: list[dict[str, Any]]) -> None:
    """slack_sdk.models re-reads every block and enforces Block Kit's limits."""
    assert 0 < len(blocks) <= 50
    for parsed in Block.parse_all(blocks):
        assert parsed is not None
        parsed.validate_json()
        assert parsed.to_dict()  # validates again, nested elements included
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= SECTION_LIMIT


ALL_FLAGS = frozenset(Flag)
STATES = [
    ReviewState.QUEUED_FOR_REVIEW,
    ReviewState.ESCALATED,
    ReviewState.APPROVED,
    ReviewState.SENT,
    ReviewState.FAILED,
    ReviewState.REJECTED,
    ReviewState.IGNORED,
]


@pytest.mark.parametrize("intent", list(Intent))
@pytest.mark.parametrize("platform", list(Platform))
def test_every_intent_on_every_platform_is_valid_block_kit(
    intent: Intent, platform: Platform
) -> None:
    for state, flags in itertools.product(STATES, [frozenset(), ALL_FLAGS]):
        card = render_card(
            record(intent, platform, state=state, flags=flags, decided_by="U1",
                   decided_at=WHEN, reply_text="Thanks!" if state in (
                       ReviewState.APPROVED, ReviewState.SENT, ReviewState.FAILED) else ""),
            tz=LONDON,
            alert="<@U1> <!subteam^S1>",
            note="because",
        )
        assert_valid_message(card.blocks)
        assert card.text and len(card.text) < 4000


def test_moderated_cards_say_what_was_done() -> None:
    for action in ModerationAction:
        card = render_card(
            record(Intent.ABUSE, state=ReviewState.MODERATED, moderation=action,
                   decided_by="U9", decided_at=WHEN),
            tz=LONDON,
        )
        assert_valid_message(card.blocks)
        assert "<@U9>" in str(card.blocks)


@pytest.mark.parametrize("filler", ["word ", "&<>", "line\n", "é" * 7 + " "])
def test_a_5000_character_facebook_comment_fits_and_is_shown_whole(filler: str) -> None:
    text = (filler * 5000)[:5000]
    card = render_card(
        record(Intent.COMPLAINT, Platform.FACEBOOK, text=text, draft="x" * 5000,
               flags=ALL_FLAGS),
        tz=LONDON,
    )

    assert_valid_message(card.blocks)
    quoted = [b["text"]["text"] for b in card.blocks
              if "text" in b and b["text"]["text"].startswith("> ")]
    shown = "".join(html.unescape(q[2:].replace("\n> ", "\n")) for q in quoted)
    assert text in shown  # every character of the comment, in order


def test_a_mention_far_too_long_is_cut_with_a_note_and_stays_valid() -> None:
    card = render_card(record(Intent.OTHER, text="&" * 20_000), tz=LONDON)
    assert_valid_message(card.blocks)
    assert "cut here" in str(card.blocks)


def test_text_from_the_public_cannot_ping_or_link() -> None:
    hostile = "<!channel> <@U123> <https://evil.example|click me> <!subteam^S0COMMS>"
    card = render_card(record(Intent.OTHER, text=hostile), tz=LONDON)
    everything = card.text + str(card.blocks)
    for markup in ("<!channel>", "<@U123>", "<https://evil", "<!subteam"):
        assert markup not in everything
    assert "Jane &lt;Tenant&gt; &amp; co" in everything


def test_quoted_chunks_never_split_an_escape_and_respect_the_limit() -> None:
    text = "ab&<>\n" * 2000
    chunks = quoted_chunks(text, 100)
    assert all(len(c) <= 100 for c in chunks)
    joined = "".join(html.unescape(c[2:].replace("\n> ", "\n")) for c in chunks)
    assert joined == text


def test_thread_messages_are_valid() -> None:
    sent = record(Intent.REPAIR_REPORT, state=ReviewState.SENT, reply_text="On its way " * 400)
    assert_valid_message(render_sent(sent, "https://x.com/i/web/status/1", tz=LONDON).blocks)
    failed = render_failed(record(Intent.REPAIR_REPORT, state=ReviewState.FAILED),
                           "HTTP 500 " * 500, tz=LONDON)
    assert_valid_message(failed.blocks)
    assert failed.blocks[-1]["elements"][0]["action_id"] == "socialbot.retry"
    assert_valid_message(render_note("🌙 cover", "Cover").blocks)


def test_dialogs_are_valid_views_within_limits() -> None:
    long_draft = record(Intent.COMPLAINT, Platform.FACEBOOK, draft="y" * 9000, text="z" * 9000)
    context = ModalContext(CardRef.of(long_draft), "C1", "1700000000.000100")
    for view in (edit_modal(long_draft, context), reject_modal(long_draft, context)):
        View(**view).validate_json()
        assert_valid_message(view["blocks"])
        assert ModalContext.decode(view["private_metadata"]) == context
    edit = edit_modal(long_draft, context)
    assert len(edit["blocks"][1]["element"]["initial_value"]) == 3000


def test_the_home_tab_stays_within_100_blocks() -> None:
    queue = [record(Intent.EMERGENCY if n % 7 == 0 else Intent.REPAIR_REPORT, n=n,
                    text="Help " * 300) for n in range(300)]
    cover = Cover("U2", "Storm <Bert>", WHEN + timedelta(hours=4), WHEN)
    counts = {Intent.REPAIR_REPORT: 250, Intent.EMERGENCY: 50}

    view = render_home(queue, counts, cover, now=WHEN, tz=LONDON, card_link=lambda r: "")

    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    shown = str(view["blocks"])
    assert "Waiting for review (300)" in shown and "…and 260 more" in shown
    assert "Storm &lt;Bert&gt;" in shown and "<@U2>" in shown
    assert "*300* mentions today" in shown


def test_card_references_round_trip_and_refuse_garbage() -> None:
    ref = CardRef(("twitter", "westkentha", "179"), ReviewState.ESCALATED)
    assert CardRef.decode(ref.encode()) == ref
    for garbage in ("", "{}", '{"k": [1, 2, 3], "s": "sent"}', '{"k": ["a"], "s": "x"}'):
        with pytest.raises(InputError):
            CardRef.decode(garbage)

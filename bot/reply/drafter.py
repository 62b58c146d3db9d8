"""Draft a reply to a triaged mention from the reply templates (policy §3.1).

No draft for abuse, spam or other, nor for anything on Flickr or YouTube. The template sees
who to address, where and how the mention came, its flags, the organisation's details and
our hours; never the mention's text, so it cannot repeat personal data it holds.
"""

from __future__ import annotations

import os
from datetime import datetime
from itertools import product
from pathlib import Path

from bot.config import Settings
from bot.domain import (
    ANSWERABLE_PLATFORMS,
    NO_DRAFT_INTENTS,
    Author,
    Draft,
    Flag,
    Kind,
    Mention,
    Platform,
    Triage,
)
from bot.errors import TemplateError
from bot.hours import next_opening
from bot.reply.addressee import LONGEST_NAME, first_name, safe_handle
from bot.reply.opening_text import clock_text, opening_text
from bot.reply.template_set import DRAFTED_INTENTS, TemplateSet
from bot.reply.twitter_length import TWEET_LIMIT, weighted_length

# The flags a template may word differently; the others do not change a reply.
WORDING_FLAGS = (Flag.OUT_OF_HOURS, Flag.PERSONAL_DATA, Flag.COMMS)


class ReplyDrafter:
    """Made once at start-up; compiles every template and proves each X variant fits."""

    def __init__(
        self, settings: Settings, template_dir: str | os.PathLike[str] | None = None
    ) -> None:
        """``template_dir`` replaces the packaged templates (tests, local wording)."""
        self._settings = settings
        self._templates = TemplateSet(None if template_dir is None else Path(template_dir))
        self._hours_text = settings.hours.describe()
        self._check_every_draft_fits()

    def draft(self, mention: Mention, triage: Triage, now: datetime | None = None) -> Draft | None:
        """The suggested reply, or None where policy says we do not reply.

        ``now`` is the moment the reply is drafted for; by default when the mention arrived,
        which is what triage judged ``out_of_hours`` on.
        """
        if (
            triage.intent in NO_DRAFT_INTENTS
            or not mention.platform.answerable
            or triage.has(Flag.NO_REPLY_PLATFORM)
        ):
            return None
        if now is not None and now.utcoffset() is None:
            raise ValueError("now must carry a UTC offset")
        next_open = self._next_open(now or mention.created_at, triage)
        return self._render(triage, mention.platform, mention.kind, mention.author, next_open)

    def _next_open(self, moment: datetime, triage: Triage) -> str | None:
        if not triage.has(Flag.OUT_OF_HOURS):
            return None
        opening = next_opening(moment, self._settings.hours)
        if opening <= moment:
            return None  # open again by the time we reply: nothing to wait for
        return opening_text(opening)

    def _render(
        self,
        triage: Triage,
        platform: Platform,
        kind: Kind,
        author: Author,
        next_open: str | None,
    ) -> Draft:
        name = self._templates.choose(triage.intent, platform)
        context = {
            "org": self._settings.organisation,
            "hours": self._hours_text,
            "platform": platform.value,
            "kind": kind.value,
            "first_name": first_name(author),
            "handle": safe_handle(author),
            "flags": triage.sorted_flags,
            "out_of_hours": next_open is not None,
            "next_open": next_open or "",
            "personal_data": triage.has(Flag.PERSONAL_DATA),
            "comms": triage.has(Flag.COMMS),
        }
        text = self._templates.render(name, context)
        if not text:
            raise TemplateError(f"reply template '{name}' renders an empty reply")
        if platform is Platform.TWITTER and weighted_length(text) > TWEET_LIMIT:
            raise TemplateError(
                f"reply template '{name}' renders {weighted_length(text)} characters as X "
                f"counts them, over the {TWEET_LIMIT} limit"
            )
        return Draft(text=text, template=name, platform=platform)

    def _check_every_draft_fits(self) -> None:
        """Render every intent, platform, kind and wording flag once, with the longest name
        and date a reply can hold, so a template or setting that breaks shows at start-up."""
        longest_author = Author(handle="a" * 32, name="M" + "x" * (LONGEST_NAME - 1))
        longest_next_open = f"{clock_text(self._settings.hours.opens)} on Wednesday 30 September"
        for intent, platform, kind in product(DRAFTED_INTENTS, ANSWERABLE_PLATFORMS, Kind):
            for chosen in product((False, True), repeat=len(WORDING_FLAGS)):
                flags = frozenset(f for f, on in zip(WORDING_FLAGS, chosen, strict=True) if on)
                next_open = longest_next_open if Flag.OUT_OF_HOURS in flags else None
                self._render(Triage(intent, 1.0, flags), platform, kind, longest_author, next_open)

"""The domain core: what a mention is, what triage says of it, and what we draft.

Nothing here does I/O. Names and values are those of ``shared/triage-contract.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    TWITTER = "twitter"
    FACEBOOK = "facebook"
    TELEGRAM = "telegram"
    FLICKR = "flickr"
    YOUTUBE = "youtube"

    @property
    def answerable(self) -> bool:
        """Policy §3.1: we do not join discussions on Flickr or YouTube."""
        return self in ANSWERABLE_PLATFORMS


ANSWERABLE_PLATFORMS = frozenset({Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM})


class Kind(StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    DM = "dm"
    COMMENT = "comment"


class Intent(StrEnum):
    OPENING_HOURS = "opening_hours"
    CONTACT_REQUEST = "contact_request"
    REPAIR_REPORT = "repair_report"
    EMERGENCY = "emergency"
    RENT_PAYMENT = "rent_payment"
    HOUSING_APPLICATION = "housing_application"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour"
    COMPLAINT = "complaint"
    POLICY_QUESTION = "policy_question"
    PRESS_ENQUIRY = "press_enquiry"
    INVOLVEMENT = "involvement"
    FEEDBACK_THANKS = "feedback_thanks"
    ABUSE = "abuse"
    SPAM = "spam"
    OTHER = "other"


# Intents that never get a drafted reply, whatever the platform.
NO_DRAFT_INTENTS = frozenset({Intent.ABUSE, Intent.SPAM, Intent.OTHER})
#: The intents the Communications Team must see, whatever else the mention says, and whose
#: replies only it may decide (policy §3.1).
COMMS_INTENTS = frozenset({Intent.PRESS_ENQUIRY, Intent.POLICY_QUESTION})


class Flag(StrEnum):
    COMMS = "comms"
    URGENT = "urgent"
    MODERATION = "moderation"
    PERSONAL_DATA = "personal_data"
    CALL_RECORDING = "call_recording"
    SECURITY = "security"
    OUT_OF_HOURS = "out_of_hours"
    NO_REPLY_PLATFORM = "no_reply_platform"


@dataclass(frozen=True)
class Author:
    handle: str
    name: str = ""


@dataclass(frozen=True)
class Mention:
    """One inbound message: a mention, a reply, a comment or a direct message."""

    id: str
    platform: Platform
    kind: Kind
    author: Author
    text: str
    created_at: datetime  # always timezone-aware
    account: str = ""
    url: str = ""
    in_reply_to: str = ""

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("created_at must carry a UTC offset")

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a mention unique: the same message delivered twice has the same key."""
        return (self.platform.value, self.account, self.id)


@dataclass(frozen=True)
class Triage:
    intent: Intent
    confidence: float
    flags: frozenset[Flag] = field(default_factory=frozenset)

    def has(self, flag: Flag) -> bool:
        return flag in self.flags

    @property
    def sorted_flags(self) -> list[str]:
        """Flags in the contract's order, for stable output."""
        return [f.value for f in Flag if f in self.flags]


@dataclass(frozen=True)
class Draft:
    text: str
    template: str
    platform: Platform


@dataclass(frozen=True)
class TriageResult:
    """A mention with what triage made of it and the reply we would suggest, if any."""

    mention: Mention
    triage: Triage
    draft: Draft | None

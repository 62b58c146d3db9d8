"""The words staff read on cards: intents, flags, platforms and decisions in plain English."""

from __future__ import annotations

from bot.domain import Flag, Intent, Kind, Platform
from bot.review.states import ModerationAction, ReviewState

INTENT_LABELS: dict[Intent, str] = {
    Intent.OPENING_HOURS: "Opening hours",
    Intent.CONTACT_REQUEST: "Contact request",
    Intent.REPAIR_REPORT: "Repair report",
    Intent.EMERGENCY: "Emergency",
    Intent.RENT_PAYMENT: "Rent and payments",
    Intent.HOUSING_APPLICATION: "Housing application",
    Intent.ANTISOCIAL_BEHAVIOUR: "Antisocial behaviour",
    Intent.COMPLAINT: "Complaint",
    Intent.POLICY_QUESTION: "Policy question",
    Intent.PRESS_ENQUIRY: "Press enquiry",
    Intent.INVOLVEMENT: "Getting involved",
    Intent.FEEDBACK_THANKS: "Thanks and feedback",
    Intent.ABUSE: "Abuse",
    Intent.SPAM: "Spam",
    Intent.OTHER: "Other",
}

FLAG_LABELS: dict[Flag, str] = {
    Flag.URGENT: "🚨 Urgent",
    Flag.COMMS: "📣 For the Comms Team",
    Flag.MODERATION: "🛡️ Needs moderation",
    Flag.PERSONAL_DATA: "🔒 Personal data: reply privately, never repeat it",
    Flag.CALL_RECORDING: "📞 Call recording",
    Flag.SECURITY: "⚠️ Security threat",
    Flag.OUT_OF_HOURS: "🌙 Out of hours",
    Flag.NO_REPLY_PLATFORM: "🚫 Read-only platform: we do not reply here",
}

PLATFORM_LABELS: dict[Platform, str] = {
    Platform.TWITTER: "X (Twitter)",
    Platform.FACEBOOK: "Facebook",
    Platform.TELEGRAM: "Telegram",
    Platform.FLICKR: "Flickr",
    Platform.YOUTUBE: "YouTube",
}

KIND_LABELS: dict[Kind, str] = {
    Kind.MENTION: "mention",
    Kind.REPLY: "reply",
    Kind.DM: "direct message",
    Kind.COMMENT: "comment",
}

MODERATION_LABELS: dict[ModerationAction, str] = {
    ModerationAction.HIDE: "Hide",
    ModerationAction.REMOVE: "Remove",
    ModerationAction.LEAVE: "Leave",
}

#: How a decided card says what happened: "<verb> by <@U1> at 14:05".
STATE_VERBS: dict[ReviewState, str] = {
    ReviewState.APPROVED: "✅ Approved",
    ReviewState.EDITED: "✏️ Edited and approved",
    ReviewState.REJECTED: "🚫 Rejected",
    ReviewState.ESCALATED: "📣 Escalated to the Comms Team",
    ReviewState.IGNORED: "👌 No reply needed",
}

MODERATION_VERBS: dict[ModerationAction, str] = {
    ModerationAction.HIDE: "🙈 Hidden",
    ModerationAction.REMOVE: "🗑️ Marked as removed",
    ModerationAction.LEAVE: "👀 Left as it is",
}


def intent_label(intent: Intent) -> str:
    return INTENT_LABELS[intent]


def flag_labels(flags: frozenset[Flag]) -> list[str]:
    """In the contract's order, so cards always read the same way."""
    return [FLAG_LABELS[f] for f in Flag if f in flags]

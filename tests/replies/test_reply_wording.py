"""What each kind of reply must say (triage contract, policy §3.1)."""

from __future__ import annotations

from itertools import product

import pytest
from reply_support import FRIDAY_EVENING, KINDS_BY_PLATFORM, MentionFactory, triage

from bot.config import Settings
from bot.domain import Flag, Intent, Kind, Platform
from bot.reply import ReplyDrafter

ANSWERED_ON = [Platform.TWITTER, Platform.FACEBOOK, Platform.TELEGRAM]
FLAG_MIXES = [
    (),
    (Flag.URGENT,),
    (Flag.URGENT, Flag.OUT_OF_HOURS),
    (Flag.URGENT, Flag.PERSONAL_DATA),
    (Flag.URGENT, Flag.OUT_OF_HOURS, Flag.PERSONAL_DATA, Flag.COMMS),
]


def _drafts(
    drafter: ReplyDrafter, make_mention: MentionFactory, intent: Intent, platform: Platform
) -> list[str]:
    texts = []
    for kind, flags in product(KINDS_BY_PLATFORM[platform], FLAG_MIXES):
        mention = make_mention(platform=platform, kind=kind, created_at=FRIDAY_EVENING)
        draft = drafter.draft(mention, triage(intent, *flags))
        assert draft is not None
        texts.append(draft.text)
    return texts


@pytest.mark.parametrize("platform", ANSWERED_ON)
def test_emergency_always_gives_every_number_and_never_asks_to_wait(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings, platform: Platform
) -> None:
    org = settings.organisation
    for text in _drafts(drafter, make_mention, Intent.EMERGENCY, platform):
        assert org.gas_emergency_phone in text
        assert org.emergency_services in text
        assert org.emergency_repairs_phone in text
        assert "don't wait" in text
        # Out of hours changes nothing: no "we're back at…" for an emergency.
        assert "back at" not in text and "Monday" not in text


@pytest.mark.parametrize("platform", ANSWERED_ON)
def test_complaint_points_to_the_complaints_procedure_without_admitting_fault(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings, platform: Platform
) -> None:
    for text in _drafts(drafter, make_mention, Intent.COMPLAINT, platform):
        assert settings.organisation.complaints_url in text
        assert "complaints procedure" in text
        assert "sorry to hear" in text
        lowered = text.lower()
        for admission in ("our fault", "we got it wrong", "we made a mistake", "apologise for"):
            assert admission not in lowered


@pytest.mark.parametrize("platform", ANSWERED_ON)
def test_policy_question_is_referred_to_official_channels(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings, platform: Platform
) -> None:
    for text in _drafts(drafter, make_mention, Intent.POLICY_QUESTION, platform):
        assert "best answered through our official channels" in text
        assert settings.organisation.contact_us_url in text


def test_policy_question_links_the_policies_where_there_is_room(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings
) -> None:
    for platform in ANSWERED_ON:
        draft = drafter.draft(make_mention(platform=platform), triage(Intent.POLICY_QUESTION))
        assert draft is not None
        assert settings.organisation.policies_url in draft.text


@pytest.mark.parametrize("platform", ANSWERED_ON)
def test_press_enquiry_gets_a_holding_reply_naming_the_press_office(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings, platform: Platform
) -> None:
    org = settings.organisation
    for text in _drafts(drafter, make_mention, Intent.PRESS_ENQUIRY, platform):
        assert org.press_office_email in text
        assert org.press_office_url in text
        assert "Communications Team" in text


@pytest.mark.parametrize(
    ("intent", "field"),
    [
        (Intent.OPENING_HOURS, "website"),
        (Intent.CONTACT_REQUEST, "contact_us_url"),
        (Intent.REPAIR_REPORT, "report_repair_url"),
        (Intent.RENT_PAYMENT, "rent_url"),
        (Intent.HOUSING_APPLICATION, "housing_url"),
        (Intent.ANTISOCIAL_BEHAVIOUR, "asb_url"),
        (Intent.INVOLVEMENT, "involvement_url"),
    ],
)
def test_each_answer_links_its_own_page(
    drafter: ReplyDrafter,
    make_mention: MentionFactory,
    settings: Settings,
    intent: Intent,
    field: str,
) -> None:
    url = getattr(settings.organisation, field)
    for platform in ANSWERED_ON:
        for text in _drafts(drafter, make_mention, intent, platform):
            assert url in text


def test_opening_hours_gives_the_hours(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings
) -> None:
    for platform in ANSWERED_ON:
        draft = drafter.draft(make_mention(platform=platform), triage(Intent.OPENING_HOURS))
        assert draft is not None
        assert settings.hours.describe() in draft.text
        assert "bank holidays" in draft.text


def test_repair_report_also_gives_the_emergency_line(
    drafter: ReplyDrafter, make_mention: MentionFactory, settings: Settings
) -> None:
    for platform in ANSWERED_ON:
        for text in _drafts(drafter, make_mention, Intent.REPAIR_REPORT, platform):
            assert settings.organisation.emergency_repairs_phone in text


def test_feedback_is_thanked(drafter: ReplyDrafter, make_mention: MentionFactory) -> None:
    draft = drafter.draft(make_mention(), triage(Intent.FEEDBACK_THANKS))
    assert draft is not None
    assert "thank you" in draft.text.lower()


def test_facebook_greets_by_first_name(drafter: ReplyDrafter, make_mention: MentionFactory) -> None:
    mention = make_mention(platform=Platform.FACEBOOK, kind=Kind.COMMENT, name="Priya Shah")
    draft = drafter.draft(mention, triage(Intent.INVOLVEMENT))
    assert draft is not None
    assert draft.text.startswith("Hi Priya,")
    assert "Shah" not in draft.text


def test_x_never_puts_the_handle_in_front(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    for name in ("Sam Jones", ""):
        mention = make_mention(platform=Platform.TWITTER, name=name, handle="sam_jones")
        draft = drafter.draft(mention, triage(Intent.CONTACT_REQUEST))
        assert draft is not None
        assert "@sam_jones" not in draft.text
        assert draft.text.startswith("Hi Sam," if name else "Hi there,")


def test_telegram_greets_by_username_when_that_is_all_we_have(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    mention = make_mention(platform=Platform.TELEGRAM, kind=Kind.DM, name="", handle="sam_jones")
    draft = drafter.draft(mention, triage(Intent.CONTACT_REQUEST))
    assert draft is not None
    assert draft.text.startswith("Hi @sam_jones,")

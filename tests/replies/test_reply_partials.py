"""Partials (``_partials/*.j2``) are shared with every template without an import.

A macro's parameters that a call leaves out are the template's variables of the same name;
a partial that reads a variable it does not declare is caught at start-up.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from reply_support import FRIDAY_EVENING, MentionFactory, triage

from bot.config import Settings
from bot.domain import Flag, Intent, Platform
from bot.errors import TemplateError
from bot.reply import ReplyDrafter

PACKAGED = resources.files("reply_templates")


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    with resources.as_file(PACKAGED) as packaged:
        shutil.copytree(packaged, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_no_packaged_template_imports_a_partial_with_context() -> None:
    # An import "with context" rebuilds the partial on every render (the old, slow way).
    with resources.as_file(PACKAGED) as packaged:
        for path in Path(packaged).rglob("*.j2"):
            assert "with context" not in path.read_text(encoding="utf-8"), path.name


def test_a_partial_takes_what_the_call_leaves_out_from_the_template(
    drafter: ReplyDrafter, make_mention: MentionFactory
) -> None:
    mention = make_mention(platform=Platform.FACEBOOK, name="Priya Shah", created_at=FRIDAY_EVENING)
    draft = drafter.draft(mention, triage(Intent.RENT_PAYMENT, Flag.OUT_OF_HOURS))
    assert draft is not None
    assert draft.text.startswith("Hi Priya,")
    assert "We're back at 9am on Monday 18 May" in draft.text  # away() saw next_open


def test_an_argument_given_at_the_call_wins(
    settings: Settings, template_dir: Path, make_mention: MentionFactory
) -> None:
    path = template_dir / "involvement.j2"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n{{ greeting(first_name="Zed") }}\n',
        encoding="utf-8",
    )
    drafter = ReplyDrafter(settings, template_dir=template_dir)
    draft = drafter.draft(make_mention(platform=Platform.FACEBOOK), triage(Intent.INVOLVEMENT))
    assert draft is not None
    assert draft.text.startswith("Hi Sam,")
    assert draft.text.endswith("Hi Zed,")


def test_a_new_partial_is_usable_at_once(
    settings: Settings, template_dir: Path, make_mention: MentionFactory
) -> None:
    (template_dir / "_partials" / "sign_off.j2").write_text(
        "{% macro sign_off(org) -%}\nThe {{ org.name }} team\n{%- endmacro %}\n", encoding="utf-8"
    )
    path = template_dir / "contact_request.j2"  # X has its own variant
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ sign_off() }}\n", encoding="utf-8")
    drafter = ReplyDrafter(settings, template_dir=template_dir)
    draft = drafter.draft(make_mention(platform=Platform.FACEBOOK), triage(Intent.CONTACT_REQUEST))
    assert draft is not None
    assert draft.text.endswith(f"The {settings.organisation.name} team")


def test_a_partial_reading_an_undeclared_variable_fails_at_start_up(
    settings: Settings, template_dir: Path
) -> None:
    path = template_dir / "_partials" / "greeting.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Hi {% if", "{{ hours }} Hi {% if"), encoding="utf-8")
    with pytest.raises(TemplateError, match="hours"):
        ReplyDrafter(settings, template_dir=template_dir)

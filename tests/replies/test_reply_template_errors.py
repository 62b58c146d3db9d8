"""A broken template or setting is a clear TemplateError/ConfigError naming it, not a traceback."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import jinja2
import pytest
from reply_support import MentionFactory, raw_config, triage

from bot.config import Settings, parse_settings
from bot.domain import Intent, Platform
from bot.errors import ConfigError, TemplateError
from bot.reply import ReplyDrafter


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    """A working copy of the packaged templates, for a test to break."""
    target = tmp_path / "templates"
    with resources.as_file(resources.files("reply_templates")) as packaged:
        shutil.copytree(packaged, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _raises_template_error(settings: Settings, template_dir: Path) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        ReplyDrafter(settings, template_dir=template_dir)
    # Not a Jinja exception in disguise, and no Jinja traceback chained to it.
    assert not isinstance(caught.value, jinja2.TemplateError)
    assert _no_jinja_traceback(caught.value)
    return caught.value


def _no_jinja_traceback(error: BaseException) -> bool:
    shown_context = None if error.__suppress_context__ else error.__context__
    return error.__cause__ is None and shown_context is None


def test_the_copy_works_unbroken(settings: Settings, template_dir: Path) -> None:
    ReplyDrafter(settings, template_dir=template_dir)


def test_a_syntax_error_names_the_template_and_line(settings: Settings, template_dir: Path) -> None:
    _append(template_dir / "complaint.j2", "{% if org.name %}never closed\n")
    error = _raises_template_error(settings, template_dir)
    assert "'complaint.j2'" in str(error)
    assert "line" in str(error)


def test_a_syntax_error_in_a_partial_names_the_partial(
    settings: Settings, template_dir: Path
) -> None:
    _append(template_dir / "_partials" / "greeting.j2", "{{ unclosed\n")
    error = _raises_template_error(settings, template_dir)
    assert "_partials/greeting.j2" in str(error)


def test_an_undefined_name_is_caught_at_start_up(settings: Settings, template_dir: Path) -> None:
    _append(template_dir / "press_enquiry.twitter.j2", "Fax us on {{ org.fax_number }}\n")
    error = _raises_template_error(settings, template_dir)
    assert "'press_enquiry.twitter.j2'" in str(error)
    assert "fax_number" in str(error)


def test_an_undefined_name_on_a_rare_path_fails_the_draft_cleanly(
    settings: Settings, template_dir: Path, make_mention: MentionFactory
) -> None:
    # Only reached for one author, so the start-up check cannot see it.
    _append(template_dir / "involvement.j2", '{% if first_name == "Zed" %}{{ nope }}{% endif %}\n')
    drafter = ReplyDrafter(settings, template_dir=template_dir)
    mention = make_mention(platform=Platform.FACEBOOK, name="Zed Smith")
    with pytest.raises(TemplateError, match=r"'involvement\.j2'.*nope") as caught:
        drafter.draft(mention, triage(Intent.INVOLVEMENT))
    assert _no_jinja_traceback(caught.value)
    assert drafter.draft(make_mention(platform=Platform.FACEBOOK), triage(Intent.INVOLVEMENT))


def test_an_x_variant_over_280_names_the_template(settings: Settings, template_dir: Path) -> None:
    _append(template_dir / "opening_hours.twitter.j2", "\n" + "We are here for you. " * 12)
    error = _raises_template_error(settings, template_dir)
    assert "'opening_hours.twitter.j2'" in str(error)
    assert "280" in str(error)


def test_a_long_setting_that_breaks_the_x_limit_shows_at_start_up(template_dir: Path) -> None:
    raw = raw_config()
    raw["organisation"]["emergency_repairs_phone"] = "0300 100 0303 " + "(option 1) " * 10
    with pytest.raises(TemplateError, match="280"):
        ReplyDrafter(parse_settings(raw), template_dir=template_dir)


def test_a_missing_intent_template(settings: Settings, template_dir: Path) -> None:
    (template_dir / "rent_payment.j2").unlink()
    error = _raises_template_error(settings, template_dir)
    assert "'rent_payment.j2' is missing" in str(error)


@pytest.mark.parametrize("stray", ["abuse.j2", "emergncy.j2", "complaint.youtube.j2"])
def test_a_template_named_after_nothing_we_draft(
    settings: Settings, template_dir: Path, stray: str
) -> None:
    (template_dir / stray).write_text("Hello\n", encoding="utf-8")
    error = _raises_template_error(settings, template_dir)
    assert f"'{stray}'" in str(error)


def test_a_missing_directory(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        ReplyDrafter(settings, template_dir=tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("organisation", "complaints_url"),
        ("organisation", "gas_emergency_phone"),
        ("hours", "opens"),
    ],
)
def test_a_missing_config_key_names_the_key(section: str, key: str) -> None:
    raw = raw_config()
    del raw[section][key]
    with pytest.raises(ConfigError) as caught:
        parse_settings(raw)
    assert caught.value.key == f"{section}.{key}"
    assert f"{section}.{key}" in str(caught.value)

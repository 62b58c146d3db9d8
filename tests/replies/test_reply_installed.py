"""The templates are found through the package, not the repository: installed anywhere, or
even zipped, the drafter still loads them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# What a wheel carries (pyproject's packages and package-data), for the two packages used.
WHEEL_FILES = {
    "bot": ["**/*.py", "socialbot.toml", "py.typed"],
    "reply_templates": ["*.py", "*.j2", "**/*.j2"],
}

SCRIPT = """
import sys, tomllib
from datetime import datetime, timezone
import bot, reply_templates
from bot.config import default_config_text, parse_settings
from bot.domain import Author, Intent, Kind, Mention, Platform, Triage
from bot.reply import ReplyDrafter

drafter = ReplyDrafter(parse_settings(tomllib.loads(default_config_text())))
mention = Mention("1", Platform.FACEBOOK, Kind.COMMENT, Author("sam", "Sam Jones"), "gas!",
                  datetime(2026, 5, 20, 10, tzinfo=timezone.utc))
print(bot.__file__)
print(reply_templates.__file__)
print(drafter.draft(mention, Triage(Intent.EMERGENCY, 1.0)).text)
"""


def _install_copy(site: Path) -> None:
    for package, patterns in WHEEL_FILES.items():
        for pattern in patterns:
            for source in (REPO / package).glob(pattern):
                if "__pycache__" in source.parts or not source.is_file():
                    continue
                target = site / source.relative_to(REPO)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


def _run_from(elsewhere: Path, python_path: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(python_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SOCIALBOT_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_templates_load_from_an_installed_copy(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    _install_copy(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    lines = _run_from(elsewhere, site)

    assert lines[0].startswith(str(site)) and lines[1].startswith(str(site))
    assert "0800 111 999" in "\n".join(lines[2:])


@pytest.mark.slow
def test_templates_load_from_a_zipped_copy(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    _install_copy(site)
    archive = tmp_path / "socialbot.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(site.rglob("*")):
            zipped.write(path, path.relative_to(site))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    lines = _run_from(elsewhere, archive)

    assert lines[1].startswith(str(archive))
    assert "0800 111 999" in "\n".join(lines[2:])

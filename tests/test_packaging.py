"""An installed socialbot works from any directory: its data must ship in the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_declared_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["setuptools"]["package-data"]
    for package in ("intents", "reply_templates"):
        folder = ROOT / package
        globs = declared[package]
        for path in folder.rglob("*"):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".py":
                continue
            relative = path.relative_to(folder)
            assert any(
                relative.match(g) or (g.startswith("**/") and relative.match(g[3:]))
                for g in globs
            ), f"{package}/{relative} would be left out of the wheel"


def test_samples_and_example_config_ship_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["setuptools"]["package-data"]["bot"]
    assert "socialbot.toml" in declared
    assert "samples/*.jsonl" in declared

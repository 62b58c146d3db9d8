"""What every command shares: loading settings and the model, errors, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bot.config import Settings, load_settings
from bot.errors import SocialbotError
from bot.processing import MentionProcessor
from bot.triage.training import Progress as TrainProgress
from bot.triage.training import is_built

stderr = Console(stderr=True, soft_wrap=True)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Settings file (default: $SOCIALBOT_CONFIG, ./socialbot.toml, or the built-in example).",
)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Our own errors become one readable line and exit code 2; bugs keep their traceback."""
    try:
        yield
    except SocialbotError as exc:
        stderr.print(f"[bold red]error:[/] {exc.user_message()}", highlight=False)
        sys.exit(2)


def settings_from(config_path: str | None) -> Settings:
    with handle_errors():
        return load_settings(config_path)
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def model_progress() -> Iterator[TrainProgress | None]:
    """A progress bar while the model is built (first run, or the corpus changed)."""
    if is_built():
        yield None
        return
    stderr.print("Building the intent model from intents/ (first run or changed corpus)…")
    with Progress(
        TextColumn("training"),
        BarColumn(),
        TextColumn("epoch {task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("train", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def load_processor(settings: Settings) -> MentionProcessor:
    with handle_errors(), model_progress() as progress:
        return MentionProcessor.load(settings, progress)
    raise AssertionError("unreachable")  # pragma: no cover

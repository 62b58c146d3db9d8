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
from bot.triage import embedding
from bot.triage.training import Progress as TrainProgress
from bot.triage.training import is_built, model_path

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
def model_progress(sentence_embeddings: bool = False) -> Iterator[TrainProgress | None]:
    """A progress bar while the model is built (first run, or the corpus changed), and a
    note when the sentence-embedding classifier is to be built too (it has no bar)."""
    built = is_built()
    sentences_to_build = sentence_embeddings and not (
        built and embedding.is_built(model_path())
    )
    if built:
        if sentences_to_build:
            stderr.print(SENTENCE_BUILD_NOTE)
        yield None
        return
    stderr.print("Building the intent model from intents/ (first run or changed corpus)…")
    if sentences_to_build:
        stderr.print(SENTENCE_BUILD_NOTE)
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


SENTENCE_BUILD_NOTE = (
    "Sentence-embedding classifier to build (triage.sentence_embeddings): encoding the "
    "corpus takes a minute or two…"
)


def sentence_embeddings_in_use(settings: Settings) -> bool:
    """``triage.sentence_embeddings`` resolved; "on" without the extra exits 2, naming it."""
    with handle_errors():
        return embedding.use_sentence_embeddings(settings.triage.sentence_embeddings)
    raise AssertionError("unreachable")  # pragma: no cover


def load_processor(settings: Settings) -> MentionProcessor:
    sentence_embeddings = sentence_embeddings_in_use(settings)
    with handle_errors(), model_progress(sentence_embeddings) as progress:
        return MentionProcessor.load(settings, progress)
    raise AssertionError("unreachable")  # pragma: no cover

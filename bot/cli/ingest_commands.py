"""``socialbot ingest``: a JSON Lines file of mentions into the store, triaged for review."""

from __future__ import annotations

import sys
from typing import IO

import click

from bot.cli.common import config_option, handle_errors, load_processor, settings_from, stderr
from bot.service.ingest import IngestReport, read_mentions, store_mentions, triage_stored
from bot.store.factory import open_store


@click.command(
    "ingest",
    epilog="Example:\n\n  socialbot ingest export.jsonl\n\n  cat export.jsonl | socialbot ingest -",
)
@click.argument("path", type=click.File("rb"))
@config_option
def ingest_command(path: IO[bytes], config_path: str | None) -> None:
    """Store the mentions in PATH (JSON Lines, '-' for stdin), triage them and queue them for
    review: the running `socialbot serve` posts their cards to Slack.

    The format is the one `socialbot triage --help` describes. Mentions already stored are
    stored once, so the same file can be ingested again safely. Unreadable lines are reported
    with their line number and skipped; the exit code is then 1.
    """
    settings = settings_from(config_path)
    report = IngestReport()
    with handle_errors():
        store = open_store(settings)
        try:
            waiting = store_mentions(store, read_mentions(path), report)
            for error in report.skipped:
                stderr.print(f"skipped {error}", highlight=False, markup=False)
            if waiting:
                processor = load_processor(settings)
                triage_stored(store, processor, waiting, report)
        finally:
            store.close()
    name = getattr(path, "name", "") or "stdin"
    click.echo(
        f"{report.read} mention(s) read from {name}: {report.new} new, "
        f"{report.repeated} already stored; {report.queued} queued for review."
    )
    if report.skipped:
        stderr.print(f"{len(report.skipped)} line(s) skipped", style="yellow")
        sys.exit(1)

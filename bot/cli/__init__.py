"""The ``socialbot`` command line. Each command group lives in its own module."""

from __future__ import annotations

import logging
import sys

import click

from bot import __version__
from bot.cli.common import handle_errors
from bot.cli.ingest_commands import ingest_command
from bot.cli.model_commands import eval_command, train_command
from bot.cli.serve_commands import serve_command
from bot.cli.store_commands import audit_command, purge_command
from bot.cli.triage_commands import demo_command, triage_command


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: socialbot demo",
)
@click.version_option(__version__, prog_name="socialbot")
@click.option("-v", "--verbose", is_flag=True, help="Log more detail on stderr.")
def cli(verbose: bool) -> None:
    """socialbot: triage and draft replies for a housing association's social-media inbox.

    Mentions come in as JSON Lines (one mention a line); see `socialbot triage --help`.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


cli.add_command(triage_command)
cli.add_command(demo_command)
cli.add_command(train_command)
cli.add_command(eval_command)
cli.add_command(audit_command)
cli.add_command(purge_command)
cli.add_command(serve_command)
cli.add_command(ingest_command)


def main() -> None:
    with handle_errors():
        cli.main(prog_name="socialbot", standalone_mode=True)

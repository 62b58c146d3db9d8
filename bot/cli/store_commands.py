"""``socialbot audit`` and ``socialbot purge``: the store's commands."""

from __future__ import annotations

import sys
from datetime import datetime, time, timedelta

import click
from rich.console import Console
from rich.table import Table

from bot.cli.common import config_option, handle_errors, settings_from
from bot.store.audit import AuditRow, audit_rows, write_csv
from bot.store.factory import open_store
from bot.store.records import utc_now


@click.command("audit")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only steps from this day on (YYYY-MM-DD, office time zone). Default: everything.",
)
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV (for a spreadsheet) to stdout.")
@click.option(
    "--decisions-only",
    is_flag=True,
    help="Only people's decisions and what came of them (sent / failed), not every step.",
)
@config_option
def audit_command(
    since: datetime | None, as_csv: bool, decisions_only: bool, config_path: str | None
) -> None:
    """Export every decision: who moved which mention to what, when, and with what text.

    Example: socialbot audit --since 2025-01-01 --csv > audit.csv
    """
    settings = settings_from(config_path)
    start = None
    if since is not None:
        start = datetime.combine(since.date(), time(0), settings.hours.timezone)
    with handle_errors():
        store = open_store(settings)
        try:
            rows = audit_rows(store, start, decisions_only=decisions_only)
            if as_csv:
                write_csv(rows, sys.stdout)
            else:
                _print_table(list(rows))
        finally:
            store.close()


def _print_table(rows: list[AuditRow]) -> None:
    console = Console()
    if not rows:
        console.print("Nothing recorded in that period.")
        return
    table = Table(show_lines=False)
    for column in ("when (UTC)", "mention", "step", "who", "text", "note", "intent"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row.at[:19].replace("T", " "),
            f"{row.platform}/{row.mention_id}",
            f"{row.from_state or '·'} → {row.to_state}",
            row.actor,
            row.text,
            row.note,
            row.intent,
        )
    console.print(table)
    console.print(f"{len(rows)} steps. Use --csv for a spreadsheet.")


@click.command("purge")
@config_option
def purge_command(config_path: str | None) -> None:
    """Delete mention text and personal data older than the retention period.

    Text, author names and handles, links, drafts and decision texts of mentions posted more
    than store.retention_days ago are blanked; counts, intents, flags, states and who decided
    what are kept. Mentions whose reply is still being sent wait for the next run.
    """
    settings = settings_from(config_path)
    days = settings.store.retention_days
    with handle_errors():
        store = open_store(settings)
        try:
            report = store.purge(utc_now() - timedelta(days=days))
        finally:
            store.close()
    cutoff = report.cutoff.astimezone(settings.hours.timezone).strftime("%d %B %Y %H:%M")
    click.echo(
        f"Retention is {days} days: personal data of mentions posted before {cutoff} is gone.\n"
        f"Blanked now: {report.mentions} mentions, {report.transitions} decision records, "
        f"{report.outbox} sent replies; {report.interactions} old Slack click ids forgotten."
    )

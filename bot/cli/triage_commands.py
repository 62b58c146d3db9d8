"""``socialbot triage`` and ``socialbot demo``: the main job, for files and for show."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import IO

import click
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.cli.common import config_option, load_processor, settings_from, stderr
from bot.domain import Flag, Mention, TriageResult
from bot.errors import InputError
from bot.schema import read_lines

FLAG_LABELS = {
    Flag.COMMS: "Comms team",
    Flag.URGENT: "URGENT",
    Flag.MODERATION: "needs moderation",
    Flag.PERSONAL_DATA: "personal data",
    Flag.CALL_RECORDING: "call recording",
    Flag.SECURITY: "security threat",
    Flag.OUT_OF_HOURS: "out of hours",
    Flag.NO_REPLY_PLATFORM: "no-reply platform",
}


def result_json(result: TriageResult) -> dict[str, object]:
    return {
        "id": result.mention.id,
        "intent": result.triage.intent.value,
        "confidence": result.triage.confidence,
        "flags": result.triage.sorted_flags,
        "draft": result.draft.text if result.draft else None,
        "template": result.draft.template if result.draft else None,
    }


class SkipCounter:
    """Reports unreadable lines on stderr and remembers whether any were skipped."""

    def __init__(self) -> None:
        self.skipped = 0

    def mentions(self, stream: IO[str]) -> Iterator[Mention]:
        for item in read_lines(stream):
            if isinstance(item, InputError):
                self.skipped += 1
                stderr.print(f"skipped {item}", highlight=False, markup=False)
            else:
                yield item.mention


@click.command(
    "triage",
    epilog=(
        "Example:\n\n  socialbot triage mentions.jsonl > triaged.jsonl\n\n"
        "  cat mentions.jsonl | socialbot triage --table"
    ),
)
@click.argument("path", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON Lines.")
@config_option
def triage_command(path: IO[str], table: bool, config_path: str | None) -> None:
    """Triage mentions from PATH (JSON Lines; '-' or nothing for stdin).

    Writes one JSON object a line to stdout, in input order:
    {"id", "intent", "confidence", "flags", "draft", "template"}. Unreadable lines are
    reported with their line number on stderr and skipped; the exit code is then 1.
    """
    settings = settings_from(config_path)
    processor = load_processor(settings)
    counter = SkipCounter()
    results = processor.process_all(counter.mentions(path))
    if table:
        _print_table(list(results))
    else:
        out = sys.stdout
        for result in results:
            out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
        out.flush()
    if counter.skipped:
        stderr.print(f"{counter.skipped} line(s) skipped", style="yellow")
        sys.exit(1)


def _print_table(results: list[TriageResult]) -> None:
    table = Table(show_lines=True, expand=True)
    for column in ("id", "platform", "text", "intent", "flags", "draft"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.mention.id,
            r.mention.platform.value,
            _short(r.mention.text, 160),
            f"{r.triage.intent.value} ({r.triage.confidence:.2f})",
            ", ".join(r.triage.sorted_flags),
            r.draft.text if r.draft else "—",
        )
    Console().print(table)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.command("demo", epilog="Example:\n\n  socialbot demo")
@config_option
def demo_command(config_path: str | None) -> None:
    """Run the built-in sample of mentions through the whole pipeline.

    Shows, for each mention, what staff would see in Slack: the intent, the flags and the
    suggested reply (or why there is none).
    """
    settings = settings_from(config_path)
    processor = load_processor(settings)
    sample = resources.files("bot").joinpath("samples", "demo.jsonl")
    counter = SkipCounter()
    with sample.open("r", encoding="utf-8") as stream:
        results = list(processor.process_all(counter.mentions(stream)))
    console = Console()
    for r in results:
        console.print(_card(r))
    intents = Counter(r.triage.intent.value for r in results)
    summary = ", ".join(f"{name} {n}" for name, n in intents.most_common())
    drafts = sum(1 for r in results if r.draft)
    console.print(
        f"[bold]{len(results)} mentions[/]: {drafts} drafts for approval, "
        f"{sum(1 for r in results if r.triage.has(Flag.URGENT))} urgent, "
        f"{sum(1 for r in results if r.triage.has(Flag.COMMS))} for the Comms team. {summary}"
    )
    if counter.skipped:
        sys.exit(1)


def _card(r: TriageResult) -> Panel:
    m = r.mention
    flags = [FLAG_LABELS[Flag(f)] for f in r.triage.sorted_flags]
    body = Text()
    body.append(f"{_short(m.text, 400)}\n\n", style="italic")
    body.append("intent: ", style="bold")
    body.append(f"{r.triage.intent.value} ({r.triage.confidence:.0%})\n")
    if flags:
        body.append("flags: ", style="bold")
        body.append(", ".join(flags) + "\n", style="red" if r.triage.flags else "")
    body.append("reply: ", style="bold")
    if r.draft:
        body.append(r.draft.text, style="green")
    else:
        body.append(_no_draft_reason(r), style="dim")
    title = (
        f"{m.platform.value} {m.kind.value} from {m.author.handle} · "
        f"{m.created_at:%a %d %b %H:%M}"
    )
    style = "red" if r.triage.has(Flag.URGENT) else "blue"
    return Panel(body, title=title, title_align="left", border_style=style)


def _no_draft_reason(r: TriageResult) -> str:
    if r.triage.has(Flag.NO_REPLY_PLATFORM):
        return "none: we never reply on Flickr or YouTube (policy §3.1)"
    if r.triage.has(Flag.MODERATION):
        return "none: suggest hide / remove (moderation)"
    return "none needed: logged for themes"


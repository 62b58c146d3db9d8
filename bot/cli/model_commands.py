"""``socialbot train`` and ``socialbot eval``: build the intent model and measure it."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import IO

import click
from rich.console import Console
from rich.table import Table

from bot.cli.common import (
    SENTENCE_BUILD_NOTE,
    config_option,
    handle_errors,
    model_progress,
    sentence_embeddings_in_use,
    settings_from,
    stderr,
)
from bot.domain import Flag, Intent, Mention
from bot.errors import InputError
from bot.resources import intents_dir
from bot.schema import read_lines
from bot.triage import embedding
from bot.triage.crossval import (
    SENTENCE_VARIANT,
    SHIPPED_VARIANT,
    VARIANTS,
    available_variants,
    cross_validate,
    pooled,
    summarise,
)
from bot.triage.decide import Calibration, decide
from bot.triage.evaluate import SAFETY_FLAGS, Case, Report, score
from bot.triage.pipeline import Triager
from bot.triage.training import Progress as TrainProgress
from bot.triage.training import build_model


@click.command("train", epilog="Example:\n\n  socialbot train")
@config_option
def train_command(config_path: str | None) -> None:
    """Rebuild the intent model from intents/ (fixed seed, so the same corpus gives the same
    model) into the cache folder ($SOCIALBOT_CACHE_DIR, default ~/.cache/socialbot). With
    the embeddings extra in use (triage.sentence_embeddings), the sentence-embedding
    classifier is rebuilt with it."""
    sentence_embeddings = sentence_embeddings_in_use(settings_from(config_path))
    started = time.perf_counter()
    with handle_errors(), model_progress() as progress:
        if sentence_embeddings:
            stderr.print(SENTENCE_BUILD_NOTE)
        path = build_model(progress or _epoch_printer(), sentence_embeddings=sentence_embeddings)
    what = "with the sentence-embedding classifier " if sentence_embeddings else ""
    stderr.print(f"Model built {what}in {time.perf_counter() - started:.1f}s: {path}")


def _epoch_printer() -> TrainProgress:
    def show(done: int, total: int) -> None:
        stderr.print(f"epoch {done}/{total}", highlight=False)

    return show


@click.command(
    "eval",
    epilog=(
        "Examples:\n\n  socialbot eval intents/dev.jsonl\n\n"
        "  socialbot eval --cv 5 --seeds 1,2\n\n"
        "  socialbot eval intents/dev.jsonl --calibrate --write"
    ),
)
@click.argument("path", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--cv", "folds", type=click.IntRange(2, 20), help="k-fold cross-validation.")
@click.option("--seeds", default="1,2", show_default=True, help="Seeds for --cv.")
@click.option(
    "--variants",
    default=SHIPPED_VARIANT,
    show_default=True,
    help=(
        f"Comma-separated set-ups for --cv, or 'all' ({', '.join(VARIANTS)}; "
        f"{SENTENCE_VARIANT} too when the embeddings extra is installed)."
    ),
)
@click.option("--calibrate", is_flag=True, help="Choose the fallback threshold and gap on PATH.")
@click.option("--write", is_flag=True, help="With --calibrate: save intents/calibration.json.")
@config_option
def eval_command(
    path: IO[str] | None,
    as_json: bool,
    folds: int | None,
    seeds: str,
    variants: str,
    calibrate: bool,
    write: bool,
    config_path: str | None,
) -> None:
    """Measure triage on labelled mentions (PATH) or by cross-validation on the corpus.

    PATH is JSON Lines in the input schema, each line also carrying
    "expect": {"intent": ..., "flags": [...]}. The report gives per-intent precision,
    recall and F1, macro-F1, a confusion table, flag recall and the worst mistakes.
    """
    if folds:
        _cross_validate(folds, seeds, variants, as_json)
        return
    if path is None:
        raise click.UsageError("give a PATH of labelled mentions, or --cv K")
    settings = settings_from(config_path)
    sentence_embeddings = sentence_embeddings_in_use(settings)
    with handle_errors(), model_progress(sentence_embeddings) as progress:
        triager = Triager.load(settings, progress)
    stderr.print(f"intent model: {triager.model.description}", highlight=False)
    rows, skipped = _labelled(path)
    if calibrate:
        best = _calibrate(triager, rows)
        stderr.print(
            f"best fallback: threshold {best.threshold:.2f}, gap {best.gap:.2f}, "
            f"evidence {best.evidence:.2f}, sure {best.sure:.2f}; runner-up over `other` "
            f"from {best.runner_up:.2f} with evidence {best.runner_up_evidence:.2f}"
        )
        if write:
            target = Path(str(intents_dir().joinpath("calibration.json")))
            chosen = {
                "threshold": round(best.threshold, 2),
                "gap": round(best.gap, 2),
                "evidence": round(best.evidence, 2),
                "sure": round(best.sure, 2),
                "runner_up": round(best.runner_up, 2),
                "runner_up_evidence": round(best.runner_up_evidence, 2),
            }
            target.write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
            stderr.print(f"saved {target}")
        triager.calibration = best
    report = _report(triager, rows)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(report, Console())
    if skipped:
        sys.exit(1)


#: A mention with the intent and flags it should get.
Labelled = tuple[Mention, Intent, frozenset[Flag]]


def _labelled(stream: IO[str]) -> tuple[list[Labelled], int]:
    rows: list[Labelled] = []
    skipped = 0
    for item in read_lines(stream):
        if isinstance(item, InputError):
            skipped += 1
            stderr.print(f"skipped {item}", markup=False)
            continue
        expect = item.raw.get("expect")
        try:
            if not isinstance(expect, dict):
                raise ValueError("missing 'expect' object")
            intent = Intent(expect["intent"])
            flags = frozenset(Flag(f) for f in expect.get("flags", []))
        except (KeyError, ValueError) as exc:
            skipped += 1
            stderr.print(f"skipped line {item.number}: bad 'expect' ({exc})", markup=False)
            continue
        rows.append((item.mention, intent, flags))
    return rows, skipped


def _report(triager: Triager, rows: list[Labelled]) -> Report:
    mentions = [m for m, _, _ in rows]
    cases = [
        Case(m.id, m.text, intent, t.intent, t.confidence, flags, t.flags)
        for (m, t), (_, intent, flags) in zip(triager.triage_all(mentions), rows, strict=True)
    ]
    return score(cases)


#: The fallback grid: top probability, top-two gap, domain evidence, and "sure".
_THRESHOLDS = [t * 0.05 for t in range(0, 11)]
_GAPS = [g * 0.05 for g in range(0, 5)]
_EVIDENCE = [0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
_SURE = [0.7, 0.8, 0.9, 1.01]
#: Then, with that fallback, the runner-up over `other`: its probability and evidence.
_RUNNER_UP = [0.05, 0.1, 0.15, 0.2, 0.3, 1.01]
_RUNNER_UP_EVIDENCE = [0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01]


def _calibrate(triager: Triager, rows: list[Labelled]) -> Calibration:
    """Grid search on macro-F1, the fallback first and then the runner-up over `other`
    (searched together the grid would be 40 times larger); ties go to the earlier, less
    eager, setting."""
    mentions = [m for m, _, _ in rows]
    featuriser = triager.model.featuriser
    analyses = [featuriser.analyse(m.text) for m in mentions]
    assessments = triager.model.assess(analyses)

    def macro_f1(candidate: Calibration) -> float:
        cases = [
            Case("", "", expected, *decide(a, s, candidate))
            for (_, expected, _), a, s in zip(rows, analyses, assessments, strict=True)
        ]
        return score(cases, with_flags=False).macro_f1

    def best_of(candidates: Iterable[Calibration]) -> Calibration:
        best: tuple[float, Calibration] = (-1.0, Calibration())
        for candidate in candidates:
            f1 = macro_f1(candidate)
            if f1 > best[0] + 1e-9:
                best = (f1, candidate)
        return best[1]

    fallback = best_of(
        Calibration(threshold=t, gap=g, evidence=needed, sure=sure)
        for sure, needed, t, g in product(_SURE, _EVIDENCE, _THRESHOLDS, _GAPS)
    )
    return best_of(
        replace(fallback, runner_up=p, runner_up_evidence=needed)
        for p, needed in product(reversed(_RUNNER_UP), reversed(_RUNNER_UP_EVIDENCE))
    )


def print_report(report: Report, console: Console) -> None:
    table = Table(title=f"Intents ({len(report.cases)} mentions)")
    for column in ("intent", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="left" if column == "intent" else "right")
    for intent, s in report.per_intent.items():
        table.add_row(
            intent.value, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support)
        )
    console.print(table)
    console.print(
        f"[bold]macro-F1 {report.macro_f1:.3f}[/]  accuracy {report.accuracy:.3f}"
    )
    flags = Table(title="Flags")
    for column in ("flag", "recall", "false alarms", "support"):
        flags.add_column(column, justify="left" if column == "flag" else "right")
    for flag, fs in report.flags.items():
        style = "bold red" if flag in SAFETY_FLAGS and fs.recall < 1.0 else None
        flags.add_row(
            flag.value,
            f"{fs.recall:.3f}",
            f"{fs.false_alarms} ({fs.false_alarm_rate:.1%})",
            str(fs.support),
            style=style,
        )
    console.print(flags)
    if report.confusion:
        confusion = Table(title="Most confused (expected → predicted)")
        confusion.add_column("expected")
        confusion.add_column("predicted")
        confusion.add_column("n", justify="right")
        for (e, p), n in report.confusion.most_common(15):
            confusion.add_row(e.value, p.value, str(n))
        console.print(confusion)
    worst = report.worst()
    if worst:
        mistakes = Table(title="Worst mistakes (most confident first)", show_lines=True)
        for column in ("id", "text", "expected", "predicted", "conf"):
            mistakes.add_column(column, overflow="fold")
        for c in worst:
            text = " ".join(c.text.split())
            mistakes.add_row(
                c.id, text[:140], c.expected.value, c.predicted.value, f"{c.confidence:.2f}"
            )
        console.print(mistakes)


def _cross_validate(k: int, seeds_text: str, variants_text: str, as_json: bool) -> None:
    try:
        seeds = [int(s) for s in seeds_text.split(",") if s.strip()]
    except ValueError as exc:
        raise click.BadParameter("seeds must be whole numbers, e.g. 1,2") from exc
    available = available_variants()
    names = available if variants_text == "all" else variants_text.split(",")
    if SENTENCE_VARIANT in names and SENTENCE_VARIANT not in available:
        raise click.BadParameter(
            f"{SENTENCE_VARIANT} needs the embeddings extra, which is not installed "
            f"({embedding.INSTALL_HINT})"
        )
    unknown = [n for n in names if n not in available]
    if unknown:
        raise click.BadParameter(f"unknown variant(s): {', '.join(unknown)}")

    def on_fold(result: object) -> None:
        stderr.print(str(result), highlight=False)

    with handle_errors():
        results = cross_validate(k, seeds, names, on_fold)
    rows = summarise(results)
    reports = {name: pooled(results, name) for name in names}
    if as_json:
        pooled_json = {name: report.to_json() for name, report in reports.items()}
        click.echo(
            json.dumps(
                [
                    {
                        "variant": v,
                        "macro_f1": f,
                        "spread": s,
                        "accuracy": a,
                        "runs": n,
                        "intents": pooled_json[v]["intents"],
                        "flags": pooled_json[v]["flags"],
                        "confused": [
                            {"expected": e.value, "predicted": p.value, "n": count}
                            for (e, p), count in reports[v].confusion.most_common(15)
                        ],
                    }
                    for v, f, s, a, n in rows
                ],
                indent=2,
            )
        )
        return
    console = Console()
    table = Table(title=f"{k}-fold cross-validation, seeds {seeds_text}")
    for column in ("variant", "macro-F1", "± (sd)", "accuracy", "runs"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for v, f, s, a, n in rows:
        table.add_row(v, f"{f:.3f}", f"{s:.3f}", f"{a:.3f}", str(n))
    console.print(table)
    _print_pooled(reports, console)


def _print_pooled(reports: dict[str, Report], console: Console) -> None:
    """Per-intent F1 of each set-up over all its folds, weakest first by the first set-up,
    and what the first set-up confuses most: where the next corpus round should go."""
    first = next(iter(reports))
    by_intent = Table(title="F1 per intent, all folds pooled")
    by_intent.add_column("intent")
    for name in reports:
        by_intent.add_column(name, justify="right")
    by_intent.add_column("support", justify="right")
    for intent, s in sorted(reports[first].per_intent.items(), key=lambda item: item[1].f1):
        cells = [
            f"{r.per_intent[intent].f1:.3f}" if intent in r.per_intent else "-"
            for r in reports.values()
        ]
        by_intent.add_row(intent.value, *cells, str(s.support))
    console.print(by_intent)
    safety = Table(title="Safety flags, all folds pooled (expected from each line's intent)")
    for column in ("set-up", "flag", "recall", "false alarms", "support"):
        safety.add_column(column, justify="left" if column in ("set-up", "flag") else "right")
    for name, report in reports.items():
        for flag, fs in report.flags.items():
            safety.add_row(
                name,
                flag.value,
                f"{fs.recall:.3f}",
                f"{fs.false_alarms} ({fs.false_alarm_rate:.1%})",
                str(fs.support),
            )
    console.print(safety)
    confused = Table(title=f"Most confused by {first} (expected → predicted)")
    for column in ("expected", "predicted", "n"):
        confused.add_column(column, justify="right" if column == "n" else "left")
    for (e, p), n in reports[first].confusion.most_common(15):
        confused.add_row(e.value, p.value, str(n))
    console.print(confused)

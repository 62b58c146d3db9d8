"""Triage throughput on one core: mentions per second through triage, flags and drafting.

The same texts also go through ``spacy.blank("en")``'s tokenizer alone, in the same run, so
the ratio (triage ÷ tokenizer) holds however fast the machine is today. Targets: triage at
least a quarter of the tokenizer's speed, and at least 10,000 mentions a second.

    python bench/triage_throughput.py                 # 10,000 mentions, 5 runs after a warm-up
    python bench/triage_throughput.py --n 50 --runs 1 # a smoke run
    python bench/triage_throughput.py --profile       # and where the time goes (pyinstrument)

Rows: the tokenizer alone; triage without drafting (``Triager.triage_all``: rules, model,
decision, flags); drafting alone (``ReplyDrafter.draft`` for every triaged mention); and the
whole job (``MentionProcessor.process_all``), which is what the targets are about.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from measure import pin_to_one_core, print_table, summarise, timed
from workload import varied_mentions

from bot.config import load_settings

TARGET_RATIO = 0.25
TARGET_RATE = 10_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="mentions (default 10,000)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first")
    parser.add_argument("--profile", action="store_true",
                        help="profile one process_all pass with pyinstrument and print it")
    args = parser.parse_args(argv)
    pinned = pin_to_one_core()
    # Imported after pinning, so numpy's BLAS starts with one thread.
    import spacy

    from bot.processing import MentionProcessor

    mentions = varied_mentions(args.n)
    texts = [m.text for m in mentions]
    processor = MentionProcessor.load(load_settings(None))
    tokenizer = spacy.blank("en").tokenizer

    def tokenize() -> None:
        for text in texts:
            tokenizer(text)

    def process() -> None:
        for _ in processor.process_all(mentions):
            pass

    def triage_only() -> None:
        for _ in processor.triager.triage_all(mentions):
            pass

    triaged = list(processor.triager.triage_all(mentions))

    def draft_only() -> None:
        draft = processor.drafter.draft
        for mention, triage in triaged:
            draft(mention, triage)

    steps = {"tokenizer": tokenize, "triage": triage_only, "draft": draft_only,
             "process_all": process}
    for _ in range(args.warmup):
        for work in steps.values():
            work()
    rates: dict[str, list[float]] = {name: [] for name in steps}
    ratios: list[float] = []
    for _ in range(args.runs):
        # Back to back in each run, so that the ratio compares like with like.
        run = {name: len(mentions) / timed(work) for name, work in steps.items()}
        for name, rate in run.items():
            rates[name].append(rate)
        ratios.append(run["process_all"] / run["tokenizer"])

    summaries = {name: summarise(values) for name, values in rates.items()}
    ratio = summarise(ratios)
    labels = {
        "tokenizer": 'spacy.blank("en") tokenizer alone',
        "triage": "triage + flags (no draft)",
        "draft": "drafting alone",
        "process_all": "triage + flags + draft (process_all)",
    }
    rows: list[list[object]] = [
        [labels[name], s.median, f"{s.low:,.0f} – {s.high:,.0f}", 1e6 / s.median]
        for name, s in summaries.items()
    ]
    rows.append(
        ["ratio process_all ÷ tokenizer", f"{ratio.median:.3f}",
         f"{ratio.low:.3f} – {ratio.high:.3f}", f"target ≥ {TARGET_RATIO}"]
    )
    distinct = len(set(texts))
    print_table(
        f"Triage throughput: {len(mentions):,} mentions ({distinct:,} distinct texts), "
        f"one core ({pinned}), median of {args.runs} run(s) after {args.warmup} warm-up",
        ["what", "mentions/s (median)", "spread (min – max)", "µs per mention"],
        rows,
    )
    whole = summaries["process_all"].median
    verdict = "meets" if whole >= TARGET_RATE and ratio.median >= TARGET_RATIO else "misses"
    print(f"targets: ≥ {TARGET_RATE:,} mentions/s and ≥ {TARGET_RATIO} × tokenizer: {verdict}")

    if args.profile:
        profile(process)
    return 0


def profile(work: Callable[[], None]) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install -e '.[test]'", file=sys.stderr)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    work()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())

"""Start-up: wall time of ``socialbot triage`` on one mention, against ``import spacy``.

Every run times, back to back, a bare interpreter (``python -c pass``), ``python -c "import
spacy"``, ``python -c "import bot.cli"`` (what the command imports before it does anything)
and ``socialbot triage one.jsonl`` with the model already built; the ratio triage ÷ import
spacy is taken per run. Target: at most 1.3.

    python bench/startup.py            # 7 runs after a warm-up
    python bench/startup.py --runs 1   # a smoke run
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

from measure import print_table, summarise, timed
from workload import jsonl, varied_mentions

TARGET_RATIO = 1.3


def socialbot_command() -> list[str]:
    """The installed ``socialbot`` script, else the same entry point through python -m bot."""
    found = shutil.which("socialbot")
    return [found] if found else [sys.executable, "-m", "bot"]


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="socialbot-bench-") as folder:
        one = Path(folder, "one.jsonl")
        one.write_text("".join(jsonl(varied_mentions(1))), encoding="utf-8")
        triage = [*socialbot_command(), "triage", str(one)]
        # The first triage builds the model if it is not built yet: never timed.
        run(triage)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import spacy"': [sys.executable, "-c", "import spacy"],
            'python -c "import bot.cli"': [sys.executable, "-c", "import bot.cli"],
            "socialbot triage one.jsonl": triage,
        }
        for _ in range(args.warmup):
            for command in commands.values():
                run(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        ratios: list[float] = []
        for _ in range(args.runs):
            this_run = {name: timed(partial(run, command)) for name, command in commands.items()}
            for name, seconds in this_run.items():
                times[name].append(seconds)
            ratios.append(this_run["socialbot triage one.jsonl"]
                          / this_run['python -c "import spacy"'])

    spacy_median = summarise(times['python -c "import spacy"']).median
    rows: list[list[object]] = []
    for name, values in times.items():
        s = summarise(values)
        rows.append([name, s.median, f"{s.low:.3f} – {s.high:.3f}",
                     f"{s.median / spacy_median:.2f}"])
    ratio = summarise(ratios)
    rows.append(["ratio triage ÷ import spacy (per run)", f"{ratio.median:.2f}",
                 f"{ratio.low:.2f} – {ratio.high:.2f}", f"target ≤ {TARGET_RATIO}"])
    print_table(
        f"Start-up: median of {args.runs} run(s) after {args.warmup} warm-up "
        f"(model built; cache {os.environ.get('SOCIALBOT_CACHE_DIR', '~/.cache/socialbot')})",
        ["command", "seconds (median)", "spread (min – max)", "median ÷ spacy median"],
        rows,
    )
    verdict = "meets" if ratio.median <= TARGET_RATIO else "misses"
    print(f"target: socialbot triage ≤ {TARGET_RATIO} × import spacy: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What every benchmark shares: repeated timing, the summary of a sample, the printed table.

Absolute times on shared machines drift from minute to minute, so each script warms up,
repeats its measurement several times, and reports the median with the spread (lowest and
highest run). Comparisons are made within one run (A and B measured back to back, the ratio
taken per run), never against a figure from another day.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The scripts run as ``python bench/<name>.py``: make the package, the test fakes and the
# serve test helper importable even without ``pip install -e .``.
for folder in (ROOT, ROOT / "tests", ROOT / "tests" / "service"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@dataclass(frozen=True)
class Summary:
    """Median and spread of a few measurements of one quantity."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def spread_pct(self) -> float:
        """(highest - lowest) / median, in per cent."""
        return 100.0 * (self.high - self.low) / self.median if self.median else 0.0


def summarise(values: Sequence[float]) -> Summary:
    if not values:
        raise ValueError("nothing measured")
    return Summary(tuple(values))


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank), e.g. 99 for p99."""
    if not values:
        raise ValueError("nothing measured")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100.0 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(work: Callable[[], object]) -> float:
    """Seconds ``work()`` took (wall clock, high resolution)."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def pin_to_one_core() -> str:
    """Run on one CPU, and keep numpy's BLAS to one thread: "on one core" means that."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
        return f"pinned to CPU {cpus[-1]}"
    return "not pinned (no sched_setaffinity here)"


def machine() -> str:
    """One line saying what this ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()}"


def command_line() -> str:
    return "python " + " ".join([os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain-text table (the same in a terminal, a log and bench/README.md)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in cells)) if cells else len(headers[i])
        for i in range(len(headers))
    ]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    print(f"\n{title}\n")
    print(line)
    print(rule)
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print()
    print(f"command: {command_line()}")
    print(f"machine: {machine()}")


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}" if value < 1 else f"{value:.2f}"
    return str(value)

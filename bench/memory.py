"""Memory: peak resident set of ``socialbot serve`` under a storm (target ≤ 200 MB).

Runs the burst of bench/burst.py (10,000 mentions within 60 s by default, then ``--drain``
seconds more) against serve as a subprocess, reading its /proc status every 0.2 s: the
resident set when idle after start-up (model loaded), the peak (VmHWM, the kernel's own
high-water mark, so nothing between two readings is missed) and the resident set at the end
of the window. Several runs give the median and the spread.

    python bench/memory.py                                   # 3 runs
    python bench/memory.py --runs 1 --n 50 --seconds 5 --drain 2   # a smoke run
"""

from __future__ import annotations

import argparse
import sys

from burst import run_burst
from measure import print_table, summarise

TARGET_MB = 200.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="bursts measured (default 3)")
    parser.add_argument("--n", type=int, default=10_000, help="mentions a burst (10,000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="delivered over (60 s)")
    parser.add_argument("--batch", type=int, default=10, help="comments per webhook delivery")
    parser.add_argument("--drain", type=float, default=15.0, help="seconds watched afterwards")
    args = parser.parse_args(argv)

    idle: list[float] = []
    peak: list[float] = []
    end: list[float] = []
    for _ in range(args.runs):
        result = run_burst(args.n, args.seconds, args.batch, args.drain, senders=8)
        idle.append(result.idle_rss_kb / 1024)
        peak.append(result.memory.peak_kb / 1024)
        during = [kb for at, kb in result.memory.samples if at <= result.window_end]
        end.append((during[-1] if during else 0) / 1024)
        stored = sum(1 for d in result.deliveries for k in d.keys if k in result.stored)
        if stored != args.n:
            print(f"warning: {args.n - stored} mention(s) not stored in this run", file=sys.stderr)

    rows: list[list[object]] = []
    for name, values in (("RSS idle after start-up", idle),
                         ("peak RSS during the burst (VmHWM)", peak),
                         ("RSS at the end of the window", end)):
        s = summarise(values)
        rows.append([name, f"{s.median:.0f}", f"{s.low:.0f} – {s.high:.0f}",
                     f"target ≤ {TARGET_MB:.0f} MB" if "peak" in name else ""])
    print_table(
        f"Memory of socialbot serve: {args.runs} burst(s) of {args.n:,} mentions within "
        f"{args.seconds:.0f} s, watched {args.drain:.0f} s more; median of runs",
        ["what", "MB (median)", "spread (min – max)", "target"],
        rows,
    )
    verdict = "meets" if summarise(peak).median <= TARGET_MB else "misses"
    print(f"target: peak RSS ≤ {TARGET_MB:.0f} MB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

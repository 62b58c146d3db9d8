"""Each benchmark script still runs, on a tiny input, and prints its table.

Benchmarks never fail on a number: these tests only check that the scripts work (they would
otherwise rot between the times someone measures), not how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.triage.model import IntentModel

BENCH = Path(__file__).resolve().parents[2] / "bench"

SMOKE_RUNS = {
    "triage_throughput.py": ["--n", "50", "--runs", "1", "--warmup", "0"],
    "startup.py": ["--runs", "1", "--warmup", "0"],
    "slack_serve.py": ["--quick"],
    # Few mentions: serve posts what is queued before it exits, at one card a second.
    "burst.py": ["--n", "4", "--batch", "2", "--seconds", "1", "--drain", "1"],
    "memory.py": ["--runs", "1", "--n", "4", "--batch", "2", "--seconds", "1", "--drain", "1"],
}


@pytest.fixture(scope="module", autouse=True)
def built_model() -> None:
    """Build the model once (into the test cache), so no script builds it in its timing."""
    IntentModel.load_or_build()


@pytest.mark.parametrize("script", sorted(SMOKE_RUNS))
def test_script_runs_and_prints_its_table(script: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *SMOKE_RUNS[script]],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| "))
    assert lines[header + 1].startswith("|--"), done.stdout
    rows = [line for line in lines[header + 2 :] if line.startswith("| ")]
    assert rows, done.stdout
    assert any(line.startswith("command: python bench/") for line in lines), done.stdout
    assert any(line.startswith("machine: ") for line in lines), done.stdout

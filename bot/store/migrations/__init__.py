"""Versioned schema steps, one list per dialect; the store applies the missing ones on open.

Never edit a released step: add a new one with the next version number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def check_sequence(migrations: tuple[Migration, ...]) -> None:
    """Versions must run 1, 2, 3... with no gap (caught by the tests, not at run time)."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1..n in order, got {versions}")

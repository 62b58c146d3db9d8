"""Shared test set-up.

The intent model is built once per test session into a private cache folder, so tests
never depend on (or disturb) a developer's own ~/.cache/socialbot; subprocesses started by
tests inherit the same folder through the environment.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Fakes (tests/fakes/*) are imported as `fakes.<name>` by every test folder.
sys.path.insert(0, str(Path(__file__).parent))

if "SOCIALBOT_TEST_CACHE_DIR" in os.environ:
    # A CI run can keep the built model between jobs by pointing this at a fixed folder.
    os.environ["SOCIALBOT_CACHE_DIR"] = os.environ["SOCIALBOT_TEST_CACHE_DIR"]
else:
    os.environ["SOCIALBOT_CACHE_DIR"] = tempfile.mkdtemp(prefix="socialbot-test-cache-")
# Tests must never read a developer's own settings file by accident.
os.environ.pop("SOCIALBOT_CONFIG", None)

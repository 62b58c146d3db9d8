"""``socialbot serve`` as a real subprocess, its JSON log lines collected as they come."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


class ServeProcess:
    def __init__(self, args: list[str], env: Mapping[str, str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *args],
            cwd=REPO,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def records(self) -> list[dict[str, Any]]:
        """The log lines that are JSON objects (every log record, when stderr is a pipe)."""
        out = []
        with self._changed:
            lines = list(self.lines)
        for line in lines:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                out.append(value)
        return out

    def messages(self) -> list[str]:
        return [str(r.get("message", "")) for r in self.records]

    def wait_record(
        self, match: Callable[[dict[str, Any]], bool], timeout: float = 60.0
    ) -> dict[str, Any]:
        """The first log record matching ``match``; fails if the process ends or time runs out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for record in self.records:
                    if match(record):
                        return record
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"serve exited with {self.proc.returncode}:\n{self.text}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching log line in {timeout} s:\n{self.text}")
                self._changed.wait(min(left, 0.5))

    def wait_port(self, timeout: float = 60.0) -> int:
        record = self.wait_record(lambda r: "port" in r and "listening" in r["message"], timeout)
        return int(record["port"])

    @property
    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait for the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        finally:
            self.kill()
        self._reader.join(5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def base_env(data_dir: Path, config: Path) -> dict[str, str]:
    """The test process's environment (with SOCIALBOT_CACHE_DIR) minus any real credentials."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "TELEGRAM_", "X_", "FACEBOOK_", "FLICKR_", "YOUTUBE_"))
        and k != "SOCIALBOT_DATABASE_URL"
    }
    env["SOCIALBOT_DATA_DIR"] = str(data_dir)
    env["SOCIALBOT_CONFIG"] = str(config)
    env["PYTHONUNBUFFERED"] = "1"
    return env

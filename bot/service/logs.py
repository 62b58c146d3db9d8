"""Logging for the service: JSON lines for a log collector, readable text for a person.

stderr that is not a terminal (systemd, Docker, a file) gets one JSON object a line:
``{"time", "level", "logger", "message"}`` plus any ``extra`` fields and the traceback, if
any. A terminal gets plain text. Every record goes through the secret redactor first
(:mod:`bot.platforms.redact`): tokens registered there never reach the output.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from bot.platforms.redact import protect_logs

#: Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
}

#: Libraries that log every HTTP request at INFO: a poll a minute would drown the rest.
_CHATTY = ("httpx", "httpcore", "aiohttp.access", "slack_bolt", "slack_sdk", "telegram")


class JsonFormatter(logging.Formatter):
    """One JSON object a record; every text in it cleaned of secrets before encoding (cleaning
    the encoded line instead could cut through a JSON escape)."""

    def __init__(self) -> None:
        super().__init__()
        self._redactor = protect_logs()

    def format(self, record: logging.LogRecord) -> str:
        clean = self._redactor.redact
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": clean(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                keep = isinstance(value, int | float | bool)
                entry[key] = value if keep else clean(str(value))
        if record.exc_info:
            entry["error"] = clean(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal; the whole line (traceback included) cleaned of secrets."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        self._redactor = protect_logs()

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor.redact(super().format(record))


def configure_logging(
    *, verbose: bool = False, stream: IO[str] | None = None, json_lines: bool | None = None
) -> logging.Handler:
    """Send every log record to ``stream`` (stderr), as JSON unless it is a terminal."""
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not stream.isatty()
    handler = logging.StreamHandler(stream)
    # On the handler, so the records of every logger are cleaned, not only the URL loggers'.
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
    return handler

"""Keeps credentials out of the logs of the HTTP libraries we use.

httpx logs every request URL at INFO, and python-telegram-bot puts the bot token in the URL
path (``/bot<token>/getUpdates``) and logs its base URL at DEBUG; Flickr only accepts its
API key as a query parameter. This filter rewrites such records before any handler sees them.
"""

from __future__ import annotations

import logging
import re
import threading

#: Loggers whose records can carry a credential in a URL.
URL_LOGGERS = ("httpx", "telegram.Bot", "telegram.ext.ExtBot")

_PATTERNS = (
    (re.compile(r"/bot\d+:[A-Za-z0-9_-]+"), "/bot<redacted>"),
    (
        re.compile(
            r"(?i)\b(api_key|access_token|key|token|client_secret|appsecret_proof)=[^&\s\"']+"
        ),
        r"\1=<redacted>",
    ),
)


class SecretRedactor(logging.Filter):
    """Replaces known secret values and credential-looking URL parts with '<redacted>'."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        # Very short values would redact ordinary words; real credentials are long.
        if len(secret) >= 6:
            with self._lock:
                self._secrets.add(secret)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, "<redacted>")
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken log call is not ours to crash on
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_redactor = SecretRedactor()


def protect_logs(*secrets: str) -> SecretRedactor:
    """Install the filter on the URL-logging loggers (once) and register ``secrets``."""
    for secret in secrets:
        _redactor.add(secret)
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _redactor not in logger.filters:
            logger.addFilter(_redactor)
    return _redactor

"""The service's logs: JSON lines for a collector, text for a terminal, never a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.platforms.redact import protect_logs
from bot.service.logs import _CHATTY, configure_logging

SECRET = "xoxb-0000-very-secret-token-for-logs"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in _CHATTY}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in chatty.items():
        logging.getLogger(name).setLevel(old)


def test_json_lines_carry_extra_fields_and_no_secret(restore_logging: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out, json_lines=True)
    protect_logs(SECRET)
    log = logging.getLogger("bot.test")
    log.info("listening on port %d", 8080, extra={"port": 8080})
    log.warning("Slack said no to %s", SECRET)
    try:
        raise RuntimeError(f"GET https://slack.com/api/auth.test?token={SECRET}")
    except RuntimeError:
        log.exception("call failed")
    logging.getLogger("httpx").info("HTTP Request: GET /bot123:abc/getUpdates")  # too chatty

    lines = [json.loads(text) for text in out.getvalue().splitlines()]
    assert [entry["level"] for entry in lines] == ["info", "warning", "error"]
    assert lines[0]["message"] == "listening on port 8080" and lines[0]["port"] == 8080
    assert lines[0]["logger"] == "bot.test" and lines[0]["time"].endswith("+00:00")
    assert lines[1]["message"] == "Slack said no to <redacted>"
    assert "RuntimeError" in lines[2]["error"]
    assert SECRET not in out.getvalue()


def test_a_terminal_gets_readable_text(restore_logging: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out, json_lines=False)
    logging.getLogger("bot.test").info("socialbot is running")
    text = out.getvalue()
    assert "INFO" in text and "bot.test: socialbot is running" in text
    assert not text.lstrip().startswith("{")

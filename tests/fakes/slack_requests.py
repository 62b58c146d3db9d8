"""Slack's side of HTTP mode: requests signed exactly as Slack signs them, and the payloads.

Signing (https://api.slack.com/authentication/verifying-requests-from-slack): HMAC-SHA256,
keyed with the app's signing secret, over ``v0:{timestamp}:{raw body}``; sent as
``X-Slack-Signature: v0=<hex>`` with ``X-Slack-Request-Timestamp: <timestamp>``. Written here
from the documentation rather than with slack_sdk's verifier, so the test does not check the
library against itself.

    slack = SlackSender(server_url, signing_secret="s3cret", response_url=fake.response_url())
    response = slack.click("socialbot.approve", value, user="U1", channel="C1", message_ts=ts)
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

TEAM = {"id": "T0TEST", "domain": "westkent-test"}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSender:
    def __init__(self, url: str, *, signing_secret: str, response_url: str = "") -> None:
        self.url = url
        self.secret = signing_secret
        self.response_url = response_url
        self._n = itertools.count(1)
        self._http = httpx.Client(timeout=10.0)  # one connection pool, as Slack keeps one

    def close(self) -> None:
        self._http.close()

    # ----- the wire ------------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        signature: str | None = None,
        retry_num: int | None = None,
    ) -> httpx.Response:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or sign(secret or self.secret, stamp, body),
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return self._http.post(self.url, content=body, headers=headers)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> httpx.Response:
        """An interactive payload, form-encoded as ``payload=<json>``."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    # ----- payloads ------------------------------------------------------------------------

    def block_action(
        self,
        action_id: str,
        value: str,
        *,
        user: str,
        channel: str,
        message_ts: str,
        blocks: list[dict[str, Any]] | None = None,
        action_ts: str | None = None,
        trigger_id: str | None = None,
    ) -> dict[str, Any]:
        n = next(self._n)
        return {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0SOCIALBOT",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": trigger_id or f"{n}.{n}.trigger{n}",
            "team": TEAM,
            "channel": {"id": channel, "name": "social-inbox"},
            "message": {"type": "message", "ts": message_ts, "text": "card",
                        "blocks": blocks or []},
            "response_url": self.response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "socialbot_review",
                    "value": value,
                    "text": {"type": "plain_text", "text": action_id},
                    "action_ts": action_ts or f"{1700000500 + n}.{n:06d}",
                }
            ],
        }

    def click(self, action_id: str, value: str, **kwargs: Any) -> httpx.Response:
        retry_num = kwargs.pop("retry_num", None)
        return self.interaction(self.block_action(action_id, value, **kwargs),
                                retry_num=retry_num)

    def view_submission(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, str]],
        *,
        user: str,
        view_id: str = "V0EDIT",
    ) -> dict[str, Any]:
        """A submitted modal: ``values`` is {block_id: {action_id: typed text}}."""
        n = next(self._n)
        state = {
            block: {action: {"type": "plain_text_input", "value": text}
                    for action, text in inputs.items()}
            for block, inputs in values.items()
        }
        return {
            "type": "view_submission",
            "team": TEAM,
            "user": {"id": user, "username": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0SOCIALBOT",
            "token": "legacy-verification-token",
            "trigger_id": f"{n}.{n}.submit{n}",
            "view": {
                **view,
                "id": view_id,
                "team_id": TEAM["id"],
                "state": {"values": state},
                "hash": f"hash{n}",
            },
        }

    def submit(self, view: dict[str, Any], values: dict[str, dict[str, str]], *, user: str,
               view_id: str = "V0EDIT") -> httpx.Response:
        return self.interaction(self.view_submission(view, values, user=user, view_id=view_id))

    def command(self, text: str, *, user: str, channel: str = "C0SOCIALINBOX",
                trigger_id: str | None = None, **kwargs: Any) -> httpx.Response:
        """``/socialbot <text>``, form-encoded as Slack sends slash commands."""
        n = next(self._n)
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM["id"],
            "team_domain": TEAM["domain"],
            "channel_id": channel,
            "channel_name": "social-inbox",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/socialbot",
            "text": text,
            "api_app_id": "A0SOCIALBOT",
            "response_url": self.response_url,
            "trigger_id": trigger_id or f"{n}.{n}.command{n}",
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict[str, Any], *, event_id: str | None = None,
              **kwargs: Any) -> httpx.Response:
        """An Events API callback, JSON as Slack sends it."""
        n = next(self._n)
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM["id"],
            "api_app_id": "A0SOCIALBOT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM["id"], "user_id": "U0BOT", "is_bot": True}],
        }
        return self.post(json.dumps(envelope).encode(), "application/json", **kwargs)

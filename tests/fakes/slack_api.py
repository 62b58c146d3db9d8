"""A fake Slack Web API on 127.0.0.1 for tests: the real slack_sdk WebClient talks to it.

It records every call (method, arguments, headers, when), keeps the messages and views it was
given so tests can read what a person would see, answers the methods socialbot uses the way
Slack does (``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``), and can be told to fail
the next calls of a method (``fail_method``: HTTP 429 with Retry-After, an API error, a 500).
Built on ``http_fake.FakeHttpServer`` like the platform fakes.

It also serves ``/response/<id>`` so interaction payloads can carry a ``response_url`` that
points here. Reusable by an end-to-end test of ``socialbot serve``: set ``SLACK_API_URL`` to
``fake.base_url``.

    with FakeSlackApi(usergroups={"S0APPROVERS": ["U1"]}) as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        ...
        fake.wait_calls("chat.postMessage")
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fakes.http_fake import FakeHttpServer, Reply, Request

#: Arguments Slack takes as JSON even when the rest of the call is form-encoded.
_JSON_ARGS = frozenset({"blocks", "view", "attachments", "metadata"})

#: Block Kit limits the real API enforces (it answers ``invalid_blocks``).
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_ACTION_VALUE = 2000
MAX_ID_LENGTH = 255


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived
    status: int  # the HTTP status the fake answered with
    response: dict[str, Any]

    @property
    def token(self) -> str:
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ").strip()


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str = ""
    updates: int = 0


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    remaining: int


class FakeSlackApi(FakeHttpServer):
    """The fake server; use as a context manager (starts on enter, stops on exit)."""

    def __init__(
        self,
        usergroups: dict[str, list[str]] | None = None,
        *,
        team_url: str = "https://westkent-test.slack.com/",
        bot_user_id: str = "U0BOT",
        channels: set[str] | None = None,
        expired_triggers: set[str] | None = None,
        socket_mode_url: str = "",
    ) -> None:
        super().__init__()
        self.usergroups: dict[str, list[str]] = dict(usergroups or {})
        self.team_url = team_url
        self.bot_user_id = bot_user_id
        #: Channels that exist; empty means every channel exists.
        self.channels: set[str] = set(channels or ())
        #: Trigger ids Slack would refuse (expired): views.open answers expired_trigger_id.
        self.expired_triggers: set[str] = set(expired_triggers or ())
        #: What apps.connections.open hands out (see fakes.slack_socket_mode).
        self.socket_mode_url = socket_mode_url
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.home_views: dict[str, dict[str, Any]] = {}
        self.opened_views: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []  # posts to a response_url
        self._failures: dict[str, list[_Failure]] = {}
        self._ts = itertools.count(1)
        self._views = itertools.count(1)

    def prefix(self) -> str:
        return "/api/"

    def start(self) -> FakeSlackApi:
        super().start()
        return self

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # ----- programming it ----------------------------------------------------------------------

    def fail_method(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "internal_error",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (recorded like any call).

        ``status=429`` answers ``ratelimited`` with a Retry-After header, as Slack does.
        """
        if status == 429:
            error = "ratelimited"
            retry_after = 1 if retry_after is None else retry_after
        with self.lock:
            self._failures.setdefault(method, []).append(
                _Failure(status, error, retry_after, times)
            )

    # ----- reading what happened ---------------------------------------------------------------

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls
                if c.method == method and (c.response.get("ok") or not ok_only)
            ]

    def wait_calls(self, method: str, count: int = 1, *, timeout: float = 10.0) -> list[Call]:
        """Wait until ``method`` succeeded ``count`` times; AssertionError if it does not."""
        if not self.wait_for(lambda: len(self.calls_to(method, ok_only=True)) >= count, timeout):
            seen = [c.method for c in self.calls]
            raise AssertionError(f"timed out waiting for {count} x {method}; calls: {seen}")
        return self.calls_to(method, ok_only=True)

    def message(self, channel: str, ts: str) -> Message:
        with self.lock:
            for m in self.messages:
                if m.channel == channel and m.ts == ts:
                    return m
        raise KeyError((channel, ts))

    def messages_in(self, channel: str, *, thread_ts: str | None = None) -> list[Message]:
        with self.lock:
            return [
                m
                for m in self.messages
                if m.channel == channel and (thread_ts is None or m.thread_ts == thread_ts)
            ]

    # ----- the API -----------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        args: dict[str, Any] = dict(request.query)
        args.update(_parse_body(request.body, request.headers.get("content-type", "")))
        if request.path.startswith("/response/"):
            self.responses.append(args)
            return Reply(200, {"ok": True})
        method = request.path.removeprefix(self.prefix())
        reply = self._answer(method, args, request.headers)
        self.calls.append(
            Call(method, args, request.headers, time.monotonic(), reply.status, reply.body)
        )
        return reply

    def _answer(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> Reply:
        queue = self._failures.get(method) or []
        if queue:
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.pop(0)
            extra = {}
            if failure.retry_after is not None:
                extra["Retry-After"] = str(failure.retry_after)
            return Reply(failure.status, {"ok": False, "error": failure.error}, extra)
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if not token.startswith("x"):
            return Reply(200, {"ok": False, "error": "not_authed"})
        if method == "apps.connections.open":
            if not token.startswith("xapp-") or not self.socket_mode_url:
                return Reply(200, {"ok": False, "error": "not_allowed_token_type"})
            return Reply(200, {"ok": True, "url": self.socket_mode_url})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return Reply(200, {"ok": False, "error": "unknown_method"})
        try:
            return Reply(200, handler(args))
        except _ApiError as exc:
            return Reply(200, {"ok": False, "error": exc.error})

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1700000000 + n}.{n:06d}"

    def _check_channel(self, channel: str) -> None:
        if not channel:
            raise _ApiError("channel_not_found")
        if self.channels and channel not in self.channels:
            raise _ApiError("channel_not_found")

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": self.team_url,
            "team": "West Kent (test)",
            "user": "socialbot",
            "team_id": "T0TEST",
            "user_id": self.bot_user_id,
            "bot_id": "B0BOT",
        }

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        self._check_channel(channel)
        blocks = args.get("blocks") or []
        text = str(args.get("text") or "")
        if not text and not blocks:
            raise _ApiError("no_text")
        _check_blocks(blocks, MAX_BLOCKS_MESSAGE)
        message = Message(channel, self._next_ts(), text, blocks, str(args.get("thread_ts") or ""))
        with self.lock:
            self.messages.append(message)
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "message": {"text": text, "blocks": blocks, "ts": message.ts},
        }

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        blocks = args.get("blocks") or []
        _check_blocks(blocks, MAX_BLOCKS_MESSAGE)
        with self.lock:
            try:
                message = self.message(channel, ts)
            except KeyError:
                raise _ApiError("message_not_found") from None
            message.blocks = blocks
            message.text = str(args.get("text") or message.text)
            message.updates += 1
        return {"ok": True, "channel": channel, "ts": ts, "text": message.text}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        self._check_channel(str(args.get("channel", "")))
        if not args.get("user"):
            raise _ApiError("user_not_in_channel")
        _check_blocks(args.get("blocks") or [], MAX_BLOCKS_MESSAGE)
        with self.lock:
            self.ephemerals.append(args)
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("message_ts", ""))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"{self.team_url}archives/{channel}/p{ts.replace('.', '')}",
        }

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id") or "")
        if not trigger:
            raise _ApiError("invalid_arguments")
        if trigger in self.expired_triggers:
            raise _ApiError("expired_trigger_id")
        view = args.get("view")
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments")
        _check_blocks(view.get("blocks") or [], MAX_BLOCKS_VIEW)
        view_id = f"V{next(self._views):08d}"
        with self.lock:
            self.opened_views.append({**view, "id": view_id})
        return {"ok": True, "view": {**view, "id": view_id}}

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments")
        _check_blocks(view.get("blocks") or [], MAX_BLOCKS_VIEW)
        return {"ok": True, "view": {**view, "id": args.get("view_id", "")}}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user_id") or "")
        view = args.get("view")
        if not user or not isinstance(view, dict):
            raise _ApiError("invalid_arguments")
        if view.get("type") != "home":
            raise _ApiError("invalid_arguments")
        _check_blocks(view.get("blocks") or [], MAX_BLOCKS_VIEW)
        with self.lock:
            self.home_views[user] = view
        return {"ok": True, "view": {**view, "id": f"VHOME{user}"}}

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = str(args.get("usergroup") or "")
        if group not in self.usergroups:
            raise _ApiError("no_such_subteam")
        return {"ok": True, "users": list(self.usergroups[group])}

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        raise _ApiError("not_allowed_token_type")  # reached only with a bot token


class _ApiError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    text = body.decode("utf-8")
    if content_type.startswith("application/json"):
        value = json.loads(text)
        return value if isinstance(value, dict) else {}
    args: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_ARGS & args.keys():
        with contextlib.suppress(ValueError):
            args[key] = json.loads(args[key])
    return args


def _check_blocks(blocks: Any, max_blocks: int) -> None:
    """The limits Slack enforces on the blocks it is given, answering invalid_blocks."""
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            raise _ApiError("invalid_blocks_format") from None
    if not isinstance(blocks, list):
        raise _ApiError("invalid_blocks_format")
    if len(blocks) > max_blocks:
        raise _ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            raise _ApiError("invalid_blocks")
        if len(str(block.get("block_id", ""))) > MAX_ID_LENGTH:
            raise _ApiError("invalid_blocks")
        text = block.get("text")
        if isinstance(text, dict) and len(text.get("text", "")) > MAX_SECTION_TEXT:
            raise _ApiError("invalid_blocks")
        for element in block.get("elements", []) or []:
            if element.get("type") != "button":
                continue
            if len(element.get("text", {}).get("text", "")) > MAX_BUTTON_TEXT:
                raise _ApiError("invalid_blocks")
            if len(str(element.get("value", ""))) > MAX_ACTION_VALUE:
                raise _ApiError("invalid_blocks")
            if len(str(element.get("action_id", ""))) > MAX_ID_LENGTH:
                raise _ApiError("invalid_blocks")

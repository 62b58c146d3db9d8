"""A fake Facebook Graph API (v21.0) and webhook sender: the httpx adapter talks to it.

Serves, in Graph's wire format (``{"error": {"message", "type", "code", "fbtrace_id"}}``):
``GET /{comment-id}/comments``, ``POST /{object-id}/comments`` (``message``),
``POST /{comment-id}`` (``is_hidden``) and ``POST /me/messages`` (Send API).

It also plays Facebook's side of the webhook: ``comment_event`` / ``message_event`` build
real-looking deliveries (and register the comment so replies to it work), ``deliver`` POSTs
one to our endpoint signed with ``X-Hub-Signature-256`` over the exact body bytes, and
``handshake`` does the GET subscription check. ``comment_replies``, ``sent_messages`` and
``hidden`` say what the bot did. For an end-to-end test: ``FACEBOOK_API_URL=fake.base_url``,
``FACEBOOK_PAGE_TOKEN=fake.page_token``, ``FACEBOOK_APP_SECRET=fake.app_secret``,
``FACEBOOK_VERIFY_TOKEN=fake.verify_token``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from fakes.http_fake import FakeHttpServer, Reply, Request


def _error(message: str, code: int, status: int = 400, subcode: int | None = None) -> Reply:
    error: dict[str, Any] = {
        "message": message, "type": "OAuthException", "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Reply(status, {"error": error})


def _graph_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch))


class FakeGraphApi(FakeHttpServer):
    def __init__(
        self,
        *,
        page_id: str = "100000000000001",
        page_name: str = "West Kent Housing Association",
        page_token: str = "EAAGfakepagetokenfortests",
        app_secret: str = "fake-app-secret-for-tests",
        verify_token: str = "fake-verify-token",
        version: str = "v21.0",
    ) -> None:
        super().__init__()
        self.page_id = page_id
        self.page_name = page_name
        self.page_token = page_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.version = version
        self._ids = itertools.count(555_000_000_000_001)
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.users: set[str] = set()  # page-scoped ids that wrote to the Page
        self.comment_replies: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.hidden: set[str] = set()

    def prefix(self) -> str:
        return f"/{self.version}"

    # ----------------------------------------------------------------- test API
    def post(self, message: str = "Our offices are closed on Monday.") -> str:
        with self.lock:
            post_id = f"{self.page_id}_{next(self._ids)}"
            self.posts[post_id] = {"id": post_id, "message": message}
            return post_id

    def comment_event(
        self,
        text: str,
        *,
        user_id: str = "24000000000001",
        user_name: str = "Jane Tenant",
        post_id: str | None = None,
        parent_id: str | None = None,
        from_page: bool = False,
        created_time: int | None = None,
    ) -> dict[str, Any]:
        """A webhook delivery for a new comment (registered, so it can be answered)."""
        with self.lock:
            post_id = post_id or self.post()
            comment_id = f"{post_id.split('_')[1]}_{next(self._ids)}"
            author = (
                {"id": self.page_id, "name": self.page_name}
                if from_page else {"id": user_id, "name": user_name}
            )
            created = created_time if created_time is not None else int(time.time())
            self.comments[comment_id] = {
                "id": comment_id, "from": author, "message": text,
                "created_time": _graph_time(created), "parent": parent_id or post_id,
            }
            value = {
                "from": author,
                "post": {
                    "status_type": "mobile_status_update", "is_published": True,
                    "updated_time": _graph_time(created),
                    "permalink_url": f"https://www.facebook.com/{post_id}",
                    "promotion_status": "inactive", "id": post_id,
                },
                "message": text, "post_id": post_id, "comment_id": comment_id,
                "created_time": created, "item": "comment",
                "parent_id": parent_id or post_id, "verb": "add",
            }
            return self.wrap([{"field": "feed", "value": value}])

    def message_event(
        self,
        text: str,
        *,
        psid: str = "6100000000000001",
        echo: bool = False,
        timestamp_ms: int | None = None,
    ) -> dict[str, Any]:
        """A webhook delivery for a Messenger message to the Page (or its echo)."""
        with self.lock:
            self.users.add(psid)
            message: dict[str, Any] = {"mid": f"m_{next(self._ids)}", "text": text}
            sender, recipient = {"id": psid}, {"id": self.page_id}
            if echo:
                message.update(is_echo=True, app_id=1234567)
                sender, recipient = recipient, sender
            event = {
                "sender": sender, "recipient": recipient,
                "timestamp": timestamp_ms or int(time.time() * 1000), "message": message,
            }
            return {"object": "page", "entry": [
                {"id": self.page_id, "time": event["timestamp"], "messaging": [event]}
            ]}

    def wrap(self, changes: list[Any]) -> dict[str, Any]:
        """A Page webhook delivery carrying ``changes`` as they are."""
        return {"object": "page", "entry": [
            {"id": self.page_id, "time": int(time.time()), "changes": changes}
        ]}

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()

    def deliver(
        self, url: str, payload: dict[str, Any] | bytes, *, signature: str | None = None
    ) -> int:
        """POST a delivery to our webhook as Facebook does; returns the HTTP status.

        Signed with the app secret unless ``signature`` is given ("" sends none). Blocking:
        from an async test call it through ``asyncio.to_thread``.
        """
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        header = self.sign(body) if signature is None else signature
        if header:
            request.add_header("X-Hub-Signature-256", header)
        return _status(request)[0]

    def handshake(self, url: str, *, token: str | None = None) -> tuple[int, str]:
        """Facebook's GET subscription check; returns (status, body)."""
        query = urllib.parse.urlencode({
            "hub.mode": "subscribe", "hub.challenge": "1158201444",
            "hub.verify_token": self.verify_token if token is None else token,
        })
        return _status(urllib.request.Request(f"{url}?{query}"))

    # ----------------------------------------------------------------- API
    def handle(self, request: Request) -> Reply:
        params = request.params()
        if request.bearer != self.page_token and params.get("access_token") != self.page_token:
            return _error("Invalid OAuth access token - Cannot parse access token", 190)
        path = request.path[len(self.prefix()) :].strip("/")
        parts = path.split("/")
        if request.method == "POST" and path == "me/messages":
            return self._send_message(request)
        if len(parts) == 2 and parts[1] == "comments":
            if request.method == "GET":
                return self._list_comments(parts[0], params)
            if request.method == "POST":
                return self._add_comment(parts[0], params)
        if len(parts) == 1 and request.method == "POST" and "is_hidden" in params:
            return self._hide(parts[0], params["is_hidden"] == "true")
        return _error(
            f"Unsupported {request.method.lower()} request. Object with ID '{parts[0]}' does "
            "not exist, cannot be loaded due to missing permissions, or does not support "
            "this operation.", 100,
        )

    def _list_comments(self, parent: str, params: dict[str, str]) -> Reply:
        if parent not in self.comments and parent not in self.posts:
            return _error(f"Object with ID '{parent}' does not exist", 100)
        data = [
            {k: v for k, v in c.items() if k != "parent"}
            for c in self.comments.values() if c["parent"] == parent
        ]
        paging = {"cursors": {"before": "QVFI", "after": "QVFJ"}}
        return Reply(200, {"data": data, "paging": paging})

    def _add_comment(self, parent: str, params: dict[str, str]) -> Reply:
        if parent not in self.comments and parent not in self.posts:
            return _error(f"Object with ID '{parent}' does not exist", 100)
        message = params.get("message", "")
        if not message:
            return _error("(#100) Missing message or attachment", 100)
        comment_id = f"{parent.split('_')[-1]}_{next(self._ids)}"
        comment = {
            "id": comment_id, "from": {"id": self.page_id, "name": self.page_name},
            "message": message, "created_time": _graph_time(time.time()), "parent": parent,
        }
        self.comments[comment_id] = comment
        self.comment_replies.append(comment)
        return Reply(200, {"id": comment_id})

    def _hide(self, comment_id: str, hidden: bool) -> Reply:
        if comment_id not in self.comments:
            return _error(f"Object with ID '{comment_id}' does not exist", 100)
        (self.hidden.add if hidden else self.hidden.discard)(comment_id)
        return Reply(200, {"success": True})

    def _send_message(self, request: Request) -> Reply:
        body = request.json()
        recipient = (body.get("recipient") or {}).get("id")
        if body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return _error("(#100) Param messaging_type must be one of ...", 100)
        if recipient not in self.users:
            return _error("(#100) No matching user found", 100, subcode=2018001)
        message = {"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"}
        self.sent_messages.append({**message, "text": (body.get("message") or {}).get("text")})
        return Reply(200, message)


def _status(request: urllib.request.Request) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()

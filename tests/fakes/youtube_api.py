"""A fake YouTube Data API v3: ``GET /youtube/v3/commentThreads`` with
``allThreadsRelatedToChannelId``, ``order=time`` (newest first), ``maxResults`` and
``pageToken``, in Google's format (errors as ``{"error": {"code", "message", "errors"}}``).

Test API: ``add_comment`` (or ``add_raw_thread``) puts a top-level comment up; ``quota``
makes the next calls answer quotaExceeded; ``fail`` injects 429/5xx. Nothing can be posted
(we never reply on YouTube). For an end-to-end test: ``YOUTUBE_API_URL=fake.base_url``,
``YOUTUBE_API_KEY=fake.api_key``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from fakes.http_fake import FakeHttpServer, Reply, Request


def _error(status: int, reason: str, message: str) -> Reply:
    return Reply(status, {"error": {
        "code": status, "message": message,
        "errors": [{"message": message, "domain": "youtube.quota", "reason": reason}],
    }})


class FakeYouTubeApi(FakeHttpServer):
    def __init__(
        self,
        *,
        channel_id: str = "UCwestkentexample000000",
        api_key: str = "AIzaFakeYouTubeKeyForTests0123456789",
    ) -> None:
        super().__init__()
        self.channel_id = channel_id
        self.api_key = api_key
        self._ids = itertools.count(1)
        self.threads: list[dict[str, Any]] = []  # oldest first

    def prefix(self) -> str:
        return "/youtube/v3"

    # ----------------------------------------------------------------- test API
    def add_comment(
        self,
        text: str,
        *,
        video_id: str = "dQw4w9WgXcQ",
        author: str = "@janetenant",
        author_channel: str = "UCjanetenant0000000000",
        published: datetime | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            comment_id = f"Ugz{next(self._ids):06d}AaBbCcDdEe4AaABAg"
            when = (published or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
            thread = {
                "kind": "youtube#commentThread", "etag": "etag", "id": comment_id,
                "snippet": {
                    "channelId": self.channel_id, "videoId": video_id,
                    "topLevelComment": {
                        "kind": "youtube#comment", "etag": "etag", "id": comment_id,
                        "snippet": {
                            "channelId": self.channel_id, "videoId": video_id,
                            "textDisplay": text, "textOriginal": text,
                            "authorDisplayName": author,
                            "authorProfileImageUrl": "https://yt3.ggpht.com/x",
                            "authorChannelUrl": f"http://www.youtube.com/{author}",
                            "authorChannelId": {"value": author_channel},
                            "canRate": True, "viewerRating": "none", "likeCount": 0,
                            "publishedAt": when, "updatedAt": when,
                        },
                    },
                    "canReply": True, "totalReplyCount": 0, "isPublic": True,
                },
            }
            self.threads.append(thread)
            return thread

    def add_raw_thread(self, thread: Any, published: datetime) -> None:
        """Any object as a thread; ``published`` only places it in the time order."""
        with self.lock:
            self.threads.append({"__raw__": thread, "__when__": published.isoformat()})

    def quota(self, times: int = 1) -> None:
        self.fail("/commentThreads", 403, times=times, body=_error(
            403, "quotaExceeded", "The request cannot be completed because you have exceeded "
            "your quota.").body)

    # ----------------------------------------------------------------- API
    def handle(self, request: Request) -> Reply:
        key = request.headers.get("x-goog-api-key") or request.query.get("key")
        if key != self.api_key:
            return _error(400, "badRequest", "API key not valid. Please pass a valid API key.")
        if request.path != f"{self.prefix()}/commentThreads":
            return _error(404, "notFound", "Not Found")
        q = request.query
        if q.get("allThreadsRelatedToChannelId") != self.channel_id:
            return _error(404, "channelNotFound", "The channel could not be found.")
        if "snippet" not in q.get("part", ""):
            return _error(400, "missingRequiredParameter", "No filter selected. part")
        size = int(q.get("maxResults", "20"))
        if not 1 <= size <= 100:
            return _error(400, "invalidMaxResults", "maxResults out of range")
        ordered = sorted(self.threads, key=self._when, reverse=q.get("order") == "time")
        offset = int(q.get("pageToken", "QUFF0").removeprefix("QUFF"))
        page = ordered[offset : offset + size]
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse", "etag": "etag",
            "pageInfo": {"totalResults": len(page), "resultsPerPage": size},
            "items": [t.get("__raw__", t) for t in page],
        }
        if offset + size < len(ordered):
            body["nextPageToken"] = f"QUFF{offset + size}"
        return Reply(200, body)

    @staticmethod
    def _when(thread: dict[str, Any]) -> str:
        if "__when__" in thread:
            return datetime.fromisoformat(thread["__when__"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        return str(thread["snippet"]["topLevelComment"]["snippet"]["publishedAt"])

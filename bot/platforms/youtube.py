"""YouTube Data API v3 over httpx: comments on our channel's videos. Read only.

Policy §3.1: we do not join discussions on YouTube, so this is a source and nothing else;
there is deliberately no way to post, hide or find replies here.

Each poll reads ``commentThreads?allThreadsRelatedToChannelId=...&order=time`` (newest
first) page by page until it reaches comments older than the cursor (see ``seen``); the
first poll looks back ``lookback_days``. Top-level comments only: replies inside threads
are not listed by time. Environment: ``YOUTUBE_API_KEY`` (sent in the X-Goog-Api-Key
header, not the URL), ``YOUTUBE_API_URL`` (default https://www.googleapis.com/youtube/v3).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.domain import Author, Kind, Mention, Platform
from bot.errors import PlatformError
from bot.platforms.base import PollResult
from bot.platforms.jsonapi import JsonApi
from bot.platforms.redact import protect_logs
from bot.platforms.retry import RetryPolicy, TryAgain
from bot.platforms.seen import SeenCursor

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://www.googleapis.com/youtube/v3"
MAX_PAGES = 10
_PLATFORM = Platform.YOUTUBE.value


class MalformedThread(ValueError):
    """A comment thread we cannot read; logged and skipped."""


def thread_to_mention(thread: Any, channel_id: str) -> Mention | None:
    """A mention from one commentThread resource; None for our channel's own comments."""
    if not isinstance(thread, dict):
        raise MalformedThread("thread is not an object")
    snippet = thread.get("snippet")
    top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
    comment = top.get("snippet") if isinstance(top, dict) else None
    if not isinstance(top, dict) or not isinstance(comment, dict):
        raise MalformedThread(f"thread {thread.get('id')!r} has no topLevelComment.snippet")
    comment_id = top.get("id") or thread.get("id")
    if not isinstance(comment_id, str) or not comment_id:
        raise MalformedThread("comment has no id")
    author_channel = comment.get("authorChannelId")
    author_id = author_channel.get("value") if isinstance(author_channel, dict) else None
    if author_id == channel_id:
        return None
    text = comment.get("textOriginal")
    if not isinstance(text, str):
        text = comment.get("textDisplay")
    if not isinstance(text, str):
        raise MalformedThread(f"comment {comment_id} has no text")
    name = str(comment.get("authorDisplayName") or author_id or "")
    video_id = str(comment.get("videoId") or (snippet or {}).get("videoId") or "")
    return Mention(
        id=comment_id,
        platform=Platform.YOUTUBE,
        kind=Kind.COMMENT,
        author=Author(handle=name or str(author_id or "unknown"), name=name),
        text=text,
        created_at=published_at(comment, comment_id),
        account=channel_id,
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else "",
        in_reply_to=video_id,
    )


def published_at(comment: dict[str, Any], comment_id: str) -> datetime:
    value = comment.get("publishedAt")
    if not isinstance(value, str):
        raise MalformedThread(f"comment {comment_id} has no publishedAt")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MalformedThread(f"comment {comment_id} has an unreadable publishedAt") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _google_body_check(response: httpx.Response, body: Any) -> None:
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code < 400 or not isinstance(error, dict):
        return
    reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    if reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
        raise TryAgain(f"YouTube rate limit: {error.get('message', '')}")
    if "quotaExceeded" in reasons:
        # The daily quota comes back at midnight Pacific time; polling later will work.
        raise PlatformError(
            _PLATFORM, f"daily API quota used up: {error.get('message', '')}", retryable=True
        )


class YouTubeSource:
    """Comments on our YouTube channel's videos: a polling source with no way to reply."""

    platform = Platform.YOUTUBE
    name = "youtube:comments"

    def __init__(
        self,
        channel_id: str,
        api_key: str,
        *,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        page_size: int = 100,
        lookback_days: int = 7,
    ) -> None:
        protect_logs(api_key)
        self.channel_id = channel_id
        self.page_size = page_size
        self.lookback_days = lookback_days
        self._policy = policy or RetryPolicy()
        self._api = JsonApi(
            _PLATFORM, api_url, headers={"X-Goog-Api-Key": api_key},
            policy=self._policy, body_check=_google_body_check,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    async def poll(self, cursor: str | None) -> PollResult:
        start = int(self._policy.clock()) - self.lookback_days * 86400
        seen = SeenCursor.loads(cursor, default_newest=start)
        fresh: list[tuple[Mention, int]] = []
        token: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, str | int] = {
                "part": "snippet",
                "allThreadsRelatedToChannelId": self.channel_id,
                "order": "time",
                "maxResults": self.page_size,
                "textFormat": "plainText",
            }
            if token:
                params["pageToken"] = token
            body = await self._api.call("GET", "commentThreads", params=params)
            items = body.get("items") if isinstance(body, dict) else None
            reached_old = False
            for thread in items if isinstance(items, list) else []:
                try:
                    mention = thread_to_mention(thread, self.channel_id)
                except MalformedThread as exc:
                    log.warning("youtube: skipped a malformed comment thread: %s", exc)
                    continue
                if mention is None:
                    continue
                when = int(mention.created_at.timestamp())
                if when < seen.fetch_from:
                    reached_old = True
                elif seen.is_new(mention.id, when):
                    fresh.append((mention, when))
            next_token = body.get("nextPageToken") if isinstance(body, dict) else None
            if reached_old or not isinstance(next_token, str) or not next_token:
                break
            token = next_token
        fresh.sort(key=lambda pair: (pair[1], pair[0].id))
        advanced = seen.advanced((m.id, when) for m, when in fresh)
        return PollResult([m for m, _ in fresh], advanced.dumps())

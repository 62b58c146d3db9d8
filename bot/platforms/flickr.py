"""Flickr, REST API over httpx: comments on our account's recent public photos. Read only.

Policy §3.1: we do not join discussions on Flickr, so this is a source and nothing else;
there is deliberately no way to post, hide or find replies here.

Each poll lists the newest ``photos_watched`` public photos (``flickr.people.getPublicPhotos``)
and asks each for comments since the cursor (``flickr.photos.comments.getList`` with
``min_comment_date``); see ``seen`` for the cursor. The first poll looks back ``lookback_days``.
Environment: ``FLICKR_API_KEY``, ``FLICKR_API_URL`` (default https://api.flickr.com/services/rest).
Flickr takes the key only as a query parameter; ``redact`` keeps it out of the logs.
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

DEFAULT_API_URL = "https://api.flickr.com/services/rest"
_PLATFORM = Platform.FLICKR.value
#: Flickr error codes worth trying again: "service currently unavailable", "timeout".
_TRANSIENT_CODES = frozenset({105, 106})


class MalformedComment(ValueError):
    """A comment we cannot read; logged and skipped."""


def comment_to_mention(comment: Any, photo_id: str, our_user_id: str) -> Mention | None:
    """A mention from one Flickr comment; None for our own comments."""
    if not isinstance(comment, dict):
        raise MalformedComment("comment is not an object")
    comment_id = comment.get("id")
    if not isinstance(comment_id, str) or not comment_id:
        raise MalformedComment(f"comment on photo {photo_id} has no id")
    author = comment.get("author")
    if not isinstance(author, str) or not author:
        raise MalformedComment(f"comment {comment_id} has no author")
    if author == our_user_id:
        return None
    text = comment.get("_content")
    if not isinstance(text, str):
        raise MalformedComment(f"comment {comment_id} has no text")
    handle = comment.get("path_alias") or author
    name = comment.get("realname") or comment.get("authorname") or ""
    return Mention(
        id=comment_id,
        platform=Platform.FLICKR,
        kind=Kind.COMMENT,
        author=Author(handle=str(handle), name=str(name)),
        text=text,
        created_at=datetime.fromtimestamp(_epoch(comment, comment_id), tz=UTC),
        account=our_user_id,
        url=str(comment.get("permalink") or f"https://flickr.com/photos/{our_user_id}/{photo_id}"),
        in_reply_to=photo_id,
    )


def _epoch(comment: dict[str, Any], comment_id: str) -> int:
    try:
        return int(comment["datecreate"])
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedComment(f"comment {comment_id} has no readable datecreate") from exc


def _flickr_body_check(response: httpx.Response, body: Any) -> None:
    """Flickr answers errors with HTTP 200 and ``{"stat": "fail", "code", "message"}``."""
    if not isinstance(body, dict) or body.get("stat") != "fail":
        return
    code, message = body.get("code"), body.get("message", "no message")
    if code in _TRANSIENT_CODES:
        raise TryAgain(f"Flickr error {code}: {message}")
    raise PlatformError(_PLATFORM, f"Flickr error {code}: {message}")


class FlickrSource:
    """Comments on our Flickr photos: a polling source with no way to reply."""

    platform = Platform.FLICKR
    name = "flickr:comments"

    def __init__(
        self,
        user_id: str,
        api_key: str,
        *,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        photos_watched: int = 50,
        lookback_days: int = 7,
    ) -> None:
        protect_logs(api_key)
        self.user_id = user_id
        self.photos_watched = photos_watched
        self.lookback_days = lookback_days
        self._policy = policy or RetryPolicy()
        self._api = JsonApi(
            _PLATFORM, api_url,
            params={"api_key": api_key, "format": "json", "nojsoncallback": "1"},
            policy=self._policy, body_check=_flickr_body_check,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    async def poll(self, cursor: str | None) -> PollResult:
        start = int(self._policy.clock()) - self.lookback_days * 86400
        seen = SeenCursor.loads(cursor, default_newest=start)
        photos = await self._api.call("GET", "", params={
            "method": "flickr.people.getPublicPhotos",
            "user_id": self.user_id,
            "per_page": self.photos_watched,
            "page": 1,
        })
        photo_ids = _photo_ids(photos)
        fresh: list[tuple[Mention, int]] = []
        for photo_id in photo_ids:
            # Any failure fails the poll and the cursor stays: skipping one photo's comments
            # while newer ones elsewhere move the cursor on could lose them. A photo deleted
            # since it was listed is simply not listed next time.
            body = await self._api.call("GET", "", params={
                "method": "flickr.photos.comments.getList",
                "photo_id": photo_id,
                "min_comment_date": seen.fetch_from,
            })
            comments = body.get("comments") if isinstance(body, dict) else None
            items = comments.get("comment") if isinstance(comments, dict) else None
            for comment in items if isinstance(items, list) else []:
                try:
                    mention = comment_to_mention(comment, photo_id, self.user_id)
                except MalformedComment as exc:
                    log.warning("flickr: skipped a malformed comment: %s", exc)
                    continue
                if mention is None:
                    continue
                when = int(mention.created_at.timestamp())
                if seen.is_new(mention.id, when):
                    fresh.append((mention, when))
        fresh.sort(key=lambda pair: (pair[1], pair[0].id))
        advanced = seen.advanced((m.id, when) for m, when in fresh)
        return PollResult([m for m, _ in fresh], advanced.dumps())


def _photo_ids(body: Any) -> list[str]:
    photos = body.get("photos") if isinstance(body, dict) else None
    items = photos.get("photo") if isinstance(photos, dict) else None
    ids = []
    for photo in items if isinstance(items, list) else []:
        if isinstance(photo, dict) and isinstance(photo.get("id"), str | int):
            ids.append(str(photo["id"]))
        else:
            log.warning("flickr: skipped a photo entry without an id: %r", photo)
    return ids

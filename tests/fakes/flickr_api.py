"""A fake Flickr REST API: ``flickr.people.getPublicPhotos`` and ``flickr.photos.comments.getList``
in Flickr's JSON format (``format=json&nojsoncallback=1``; errors as HTTP 200 with
``{"stat": "fail", "code", "message"}``).

Test API: ``add_photo`` and ``add_comment`` (or ``add_raw_comment``) put content up;
``fail`` injects 429/5xx. Nothing can be posted here (we never reply on Flickr), so there is
nothing to read back but the requests. For an end-to-end test:
``FLICKR_API_URL=fake.base_url``, ``FLICKR_API_KEY=fake.api_key``.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from fakes.http_fake import FakeHttpServer, Reply, Request


def _created(comment: Any) -> int:
    """A comment's time; malformed ones (planted by tests) always come back."""
    try:
        return int(comment["datecreate"])
    except (KeyError, TypeError, ValueError):
        return 2**62


def _fail(code: int, message: str) -> Reply:
    return Reply(200, {"stat": "fail", "code": code, "message": message})


class FakeFlickrApi(FakeHttpServer):
    def __init__(
        self, *, user_id: str = "12345678@N00", api_key: str = "flickrfakeapikey0123456789"
    ) -> None:
        super().__init__()
        self.user_id = user_id
        self.api_key = api_key
        self._ids = itertools.count(53_000_000_001)
        self.photos: list[dict[str, Any]] = []  # newest last
        self.comments: dict[str, list[dict[str, Any]]] = {}

    def prefix(self) -> str:
        return "/services/rest"

    # ----------------------------------------------------------------- test API
    def add_photo(self, title: str = "Community garden opening") -> str:
        with self.lock:
            photo_id = str(next(self._ids))
            self.photos.append({
                "id": photo_id, "owner": self.user_id, "secret": "1e92283336", "server": "65535",
                "farm": 66, "title": title, "ispublic": 1, "isfriend": 0, "isfamily": 0,
            })
            self.comments[photo_id] = []
            return photo_id

    def add_comment(
        self,
        photo_id: str,
        text: str,
        *,
        author: str = "98765432@N01",
        authorname: str = "janet_photos",
        realname: str = "Janet Photographer",
        datecreate: int | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            number = next(self._ids)
            comment = {
                "id": f"{self.user_id.split('@')[0]}-{photo_id}-{number}",
                "author": author, "author_is_deleted": 0, "authorname": authorname,
                "iconserver": "0", "iconfarm": 0,
                "datecreate": str(datecreate if datecreate is not None else int(time.time())),
                "permalink": f"https://www.flickr.com/photos/westkent/{photo_id}/#comment{number}",
                "path_alias": "", "realname": realname, "_content": text,
            }
            self.comments[photo_id].append(comment)
            return comment

    def add_raw_comment(self, photo_id: str, comment: Any) -> None:
        with self.lock:
            self.comments[photo_id].append(comment)

    # ----------------------------------------------------------------- API
    def handle(self, request: Request) -> Reply:
        q = request.query
        if q.get("format") != "json" or q.get("nojsoncallback") != "1":
            wrapped = b'jsonFlickrApi({"stat":"fail","code":111,"message":"Format not found"})'
            return Reply(200, wrapped)
        if q.get("api_key") != self.api_key:
            return _fail(100, "Invalid API Key (Key has invalid format)")
        method = q.get("method", "")
        if method == "flickr.people.getPublicPhotos":
            if q.get("user_id") != self.user_id:
                return _fail(1, "User not found")
            per_page = int(q.get("per_page", "100"))
            page = int(q.get("page", "1"))
            newest_first = list(reversed(self.photos))
            chunk = newest_first[(page - 1) * per_page : page * per_page]
            pages = max(1, -(-len(newest_first) // per_page))
            return Reply(200, {"photos": {
                "page": page, "pages": pages, "perpage": per_page,
                "total": len(newest_first), "photo": chunk,
            }, "stat": "ok"})
        if method == "flickr.photos.comments.getList":
            photo_id = q.get("photo_id", "")
            if photo_id not in self.comments:
                return _fail(1, "Photo not found")
            since = int(q.get("min_comment_date", "0"))
            items = [c for c in self.comments[photo_id] if _created(c) >= since]
            body: dict[str, Any] = {"photo_id": photo_id}
            if items:
                body["comment"] = items
            return Reply(200, {"comments": body, "stat": "ok"})
        return _fail(112, f'Method "{method}" not found')

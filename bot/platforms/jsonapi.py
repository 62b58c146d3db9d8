"""A JSON-over-HTTP platform API called through httpx, with retries and rate-limit manners.

Shared by the X, Facebook Graph, Flickr and YouTube adapters. Credentials travel in headers
where the platform allows it, so that URLs (which httpx logs) carry none; see ``redact``
for the one platform (Flickr) that insists on a query parameter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from bot.errors import PlatformError, RateLimited
from bot.platforms.retry import RetryPolicy, TryAgain, retrying, wait_from_headers

log = logging.getLogger(__name__)

#: Inspects a decoded 2xx/4xx body for errors the platform reports in the payload
#: (Flickr's ``stat: fail``, Graph's transient error codes); raises TryAgain or PlatformError.
BodyCheck = Callable[[httpx.Response, Any], None]

#: Connection failures where the request certainly never reached the platform.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class JsonApi:
    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
        body_check: BodyCheck | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.platform = platform
        self.policy = policy or RetryPolicy()
        self._body_check = body_check
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers=dict(headers or {}),
            params=dict(params or {}),
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )
        # Rate-limit windows the platform told us are used up: bucket -> epoch of reset.
        self._exhausted: dict[str, float] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        already_done: Callable[[], Awaitable[Any | None]] | None = None,
        bucket: str | None = None,
    ) -> Any:
        """Make the call with retries and return the decoded JSON body.

        ``idempotent=False`` marks a send: see ``retry`` for how it is tried again;
        ``already_done`` then returns a body like the call's own answer if it took effect.
        ``bucket`` names the rate-limit window the call counts against (default: the path).
        """
        bucket = bucket or f"{method} {path}"
        url = path.lstrip("/")

        async def attempt() -> Any:
            await self._respect_exhausted_window(bucket)
            try:
                response = await self._client.request(
                    method, url, params=params, json=json, data=data, headers=headers
                )
            except _NOT_SENT as exc:
                raise TryAgain(f"cannot reach the API ({type(exc).__name__})") from exc
            except httpx.TransportError as exc:
                raise TryAgain(
                    f"connection failed ({type(exc).__name__})",
                    maybe_done=not idempotent,
                    answered=False,
                ) from exc
            self._note_rate_limit(bucket, response)
            status = response.status_code
            if status == 429 or status >= 500:
                raise TryAgain(
                    f"HTTP {status} from {method} {_shown(path)}",
                    wait=wait_from_headers(
                        response.headers, self.policy.clock, rate_limited=status == 429
                    ),
                    maybe_done=not idempotent and status >= 500,
                )
            body = _decode(response)
            if self._body_check is not None:
                self._body_check(response, body)
            if status >= 400:
                raise PlatformError(
                    self.platform,
                    f"{method} {_shown(path)} refused: HTTP {status}: {describe_error(body)}",
                )
            if body is None:
                raise PlatformError(
                    self.platform, f"{method} {_shown(path)} answered with something not JSON"
                )
            return body

        return await retrying(self.platform, attempt, self.policy, already_done=already_done)

    async def _respect_exhausted_window(self, bucket: str) -> None:
        reset = self._exhausted.get(bucket)
        if reset is None:
            return
        wait = reset - self.policy.clock()
        if wait <= 0:
            del self._exhausted[bucket]
            return
        if wait > self.policy.max_delay:
            raise RateLimited(
                self.platform, f"rate limit for {bucket} used up for {wait:.0f}s", retry_after=wait
            )
        log.info("%s: rate limit for %s used up; waiting %.1fs", self.platform, bucket, wait)
        await self.policy.sleep(wait)
        del self._exhausted[bucket]

    def _note_rate_limit(self, bucket: str, response: httpx.Response) -> None:
        remaining = response.headers.get("x-rate-limit-remaining")
        reset = response.headers.get("x-rate-limit-reset")
        if remaining is None or reset is None:
            return
        try:
            if int(remaining) <= 0:
                self._exhausted[bucket] = float(reset)
            else:
                self._exhausted.pop(bucket, None)
        except ValueError:
            log.debug("%s: unreadable rate-limit headers %r/%r", self.platform, remaining, reset)


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _shown(path: str) -> str:
    return "/" + path.lstrip("/")


def describe_error(body: Any) -> str:
    """The platform's own words for an error, from the shapes X, Graph and Google use."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            return str(first.get("detail") or first.get("message") or first)
        for key in ("detail", "title", "message"):
            if body.get(key):
                return str(body[key])
    return "no details given"

"""What every webhook endpoint does once the platform's request is verified and parsed.

The platform gets a success answer only after the mentions are handed to the sink (the
store): if storing fails we answer 500 and the platform delivers the same payload again,
so a mention is never acknowledged and then lost.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.domain import Mention, Platform
from bot.platforms.base import MentionSink

log = logging.getLogger(__name__)


async def hand_over(platform: Platform, mentions: list[Mention], sink: MentionSink) -> web.Response:
    if mentions:
        try:
            await sink(mentions)
        except Exception:
            log.exception(
                "%s webhook: could not store %d mention(s); asking the platform to deliver again",
                platform.value, len(mentions),
            )
            return web.Response(status=500, text="not stored, please deliver again")
    return web.Response(text="ok")


def refuse(platform: Platform, request: web.Request, why: str) -> web.Response:
    log.warning(
        "%s webhook: refused a request from %s: %s", platform.value, request.remote or "?", why
    )
    return web.Response(status=403, text="forbidden")

"""Builds the enabled platform adapters from the environment and the ``[platforms]`` settings.

A platform whose credentials (or account id) are missing is disabled with one log line that
names what is missing; values are never logged. What ``socialbot serve`` plugs in:

- ``sources``: polling sources (each stores its cursor under ``source.name``);
- ``senders``: reply senders by platform (Twitter, Facebook, Telegram only: policy §3.1);
- ``webhooks``: endpoints to mount on the web server (Facebook; Telegram in webhook mode).

Environment, per platform (``*_API_URL`` points an adapter at another server, e.g. a fake):

- Telegram: TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL; for webhook mode instead of polling,
  TELEGRAM_WEBHOOK_URL (our public URL of the endpoint) and TELEGRAM_WEBHOOK_SECRET.
- X: X_BEARER_TOKEN, X_USER_ACCESS_TOKEN (posting and DMs), X_DMS_ENABLED=1, X_API_URL;
  ``platforms.twitter_user_id``.
- Facebook: FACEBOOK_PAGE_TOKEN, FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN, FACEBOOK_API_URL;
  ``platforms.facebook_page_id``.
- Flickr: FLICKR_API_KEY, FLICKR_API_URL; ``platforms.flickr_user_id``.
- YouTube: YOUTUBE_API_KEY, YOUTUBE_API_URL; ``platforms.youtube_channel_id``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from bot.config import PlatformSettings
from bot.domain import Platform
from bot.platforms import facebook, flickr, telegram, twitter, youtube
from bot.platforms.base import MentionSink, PollingSource, ReplySender
from bot.platforms.retry import RetryPolicy

log = logging.getLogger(__name__)

#: In-place retries stay short: a sender runs under the outbox's call timeout, and the
#: outbox (or the next poll) does the long waits itself (RateLimited carries how long).
DEFAULT_POLICY = RetryPolicy(attempts=3, base_delay=1.0, max_delay=20.0)

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class WebhookEndpoint:
    """A web endpoint a platform POSTs to; ``make_app`` builds its aiohttp sub-application
    (and, for Telegram, registers the webhook with Telegram)."""

    platform: Platform
    path: str
    make_app: Callable[[MentionSink], Awaitable[web.Application]]


@dataclass
class Adapters:
    sources: list[PollingSource] = field(default_factory=list)
    senders: dict[Platform, ReplySender] = field(default_factory=dict)
    webhooks: list[WebhookEndpoint] = field(default_factory=list)
    #: Why each platform that is not (fully) on is off, for ``socialbot`` to show.
    disabled: dict[Platform, str] = field(default_factory=dict)
    #: What ``aclose`` closes (HTTP clients of the adapters above).
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def aclose(self) -> None:
        for close in self.closers:
            try:
                await close()
            except Exception:  # closing one must not keep the others open
                log.exception("closing a platform adapter failed")


def build_adapters(
    settings: PlatformSettings,
    env: Mapping[str, str] | None = None,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> Adapters:
    env = os.environ if env is None else env
    adapters = Adapters()
    for build in (_telegram, _twitter, _facebook, _flickr, _youtube):
        build(adapters, settings, env, policy)
    return adapters


# --------------------------------------------------------------------------- one per platform


def _missing(
    adapters: Adapters, platform: Platform, env: Mapping[str, str],
    variables: tuple[str, ...], settings: tuple[tuple[str, str], ...] = (),
) -> bool:
    """Disable ``platform`` (one log line) if any variable or setting is empty; True if so."""
    gaps = [name for name in variables if not env.get(name, "").strip()]
    gaps += [f"platforms.{key} in socialbot.toml" for key, value in settings if not value]
    if not gaps:
        return False
    partly = any(env.get(name, "").strip() for name in variables)
    reason = f"{', '.join(gaps)} {'is' if len(gaps) == 1 else 'are'} not set"
    adapters.disabled[platform] = reason
    log.log(
        logging.WARNING if partly else logging.INFO,
        "%s is off: %s", platform.value, reason,
    )
    return True


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    return env.get(name, "").strip() or default


def _telegram(
    adapters: Adapters, settings: PlatformSettings, env: Mapping[str, str], policy: RetryPolicy
) -> None:
    if _missing(adapters, Platform.TELEGRAM, env, ("TELEGRAM_BOT_TOKEN",)):
        return
    adapter = telegram.TelegramAdapter(
        env["TELEGRAM_BOT_TOKEN"].strip(),
        api_url=_url(env, "TELEGRAM_API_URL", telegram.DEFAULT_API_URL),
        policy=policy,
    )
    adapters.senders[Platform.TELEGRAM] = adapter
    adapters.closers.append(adapter.aclose)
    hook_url = env.get("TELEGRAM_WEBHOOK_URL", "").strip()
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if hook_url and secret:

        async def make_app(sink: MentionSink) -> web.Application:
            me = await adapter.identity()
            await adapter.set_webhook(hook_url, secret)
            return telegram.telegram_webhook_app(me, secret, sink)

        endpoint = WebhookEndpoint(Platform.TELEGRAM, "/webhooks/telegram/", make_app)
        adapters.webhooks.append(endpoint)
        return
    if hook_url or secret:
        have, lack = (
            ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET") if hook_url
            else ("TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_URL")
        )
        log.warning("telegram: %s is set but %s is not; polling instead of the webhook", have, lack)
    adapters.sources.append(adapter)


def _twitter(
    adapters: Adapters, settings: PlatformSettings, env: Mapping[str, str], policy: RetryPolicy
) -> None:
    if _missing(adapters, Platform.TWITTER, env, ("X_BEARER_TOKEN",),
                (("twitter_user_id", settings.twitter_user_id),)):
        return
    user_token = env.get("X_USER_ACCESS_TOKEN", "").strip()
    adapter = twitter.TwitterAdapter(
        settings.twitter_user_id,
        env["X_BEARER_TOKEN"].strip(),
        user_token,
        api_url=_url(env, "X_API_URL", twitter.DEFAULT_API_URL),
        policy=policy,
    )
    adapters.closers.append(adapter.aclose)
    adapters.sources.append(adapter.mentions)
    dms = env.get("X_DMS_ENABLED", "").strip().lower() in _TRUE
    if not user_token:
        reason = "X_USER_ACCESS_TOKEN is not set, so replies" + (
            " and direct messages are off" if dms else " are off"
        )
        adapters.disabled[Platform.TWITTER] = reason
        log.warning("twitter: mentions are read, but %s", reason)
        return
    adapters.senders[Platform.TWITTER] = adapter
    if dms:
        adapters.sources.append(adapter.direct_messages)


def _facebook(
    adapters: Adapters, settings: PlatformSettings, env: Mapping[str, str], policy: RetryPolicy
) -> None:
    names = ("FACEBOOK_PAGE_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN")
    if _missing(adapters, Platform.FACEBOOK, env, names,
                (("facebook_page_id", settings.facebook_page_id),)):
        return
    token, app_secret, verify_token = (env[name].strip() for name in names)
    page_id = settings.facebook_page_id
    adapter = facebook.FacebookAdapter(
        page_id, token, app_secret=app_secret,
        api_url=_url(env, "FACEBOOK_API_URL", facebook.DEFAULT_API_URL), policy=policy,
    )
    adapters.senders[Platform.FACEBOOK] = adapter
    adapters.closers.append(adapter.aclose)

    async def make_app(sink: MentionSink) -> web.Application:
        return facebook.facebook_webhook_app(
            app_secret=app_secret, verify_token=verify_token, page_id=page_id, sink=sink
        )

    adapters.webhooks.append(WebhookEndpoint(Platform.FACEBOOK, "/webhooks/facebook/", make_app))


def _flickr(
    adapters: Adapters, settings: PlatformSettings, env: Mapping[str, str], policy: RetryPolicy
) -> None:
    if _missing(adapters, Platform.FLICKR, env, ("FLICKR_API_KEY",),
                (("flickr_user_id", settings.flickr_user_id),)):
        return
    source = flickr.FlickrSource(
        settings.flickr_user_id, env["FLICKR_API_KEY"].strip(),
        api_url=_url(env, "FLICKR_API_URL", flickr.DEFAULT_API_URL), policy=policy,
    )
    adapters.sources.append(source)
    adapters.closers.append(source.aclose)


def _youtube(
    adapters: Adapters, settings: PlatformSettings, env: Mapping[str, str], policy: RetryPolicy
) -> None:
    if _missing(adapters, Platform.YOUTUBE, env, ("YOUTUBE_API_KEY",),
                (("youtube_channel_id", settings.youtube_channel_id),)):
        return
    source = youtube.YouTubeSource(
        settings.youtube_channel_id, env["YOUTUBE_API_KEY"].strip(),
        api_url=_url(env, "YOUTUBE_API_URL", youtube.DEFAULT_API_URL), policy=policy,
    )
    adapters.sources.append(source)
    adapters.closers.append(source.aclose)

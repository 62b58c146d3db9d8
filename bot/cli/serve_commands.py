"""``socialbot serve``: the running service (sources, triage, Slack, the outbox)."""

from __future__ import annotations

import logging
import sys

import click
from click.core import ParameterSource

from bot.cli.common import config_option, handle_errors, settings_from
from bot.errors import SocialbotError

EPILOG = """\
Example:

  socialbot serve

  socialbot serve --http 3000

\b
Secrets come only from the environment:
  SLACK_BOT_TOKEN + SLACK_APP_TOKEN      Slack, Socket Mode (the default)
  SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET Slack, HTTP mode (--http)
  TELEGRAM_BOT_TOKEN                     Telegram
  X_BEARER_TOKEN, X_USER_ACCESS_TOKEN    X (reading; replying)
  FACEBOOK_PAGE_TOKEN, FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN
                                         Facebook (webhook at /webhooks/facebook/)
  FLICKR_API_KEY, YOUTUBE_API_KEY        Flickr, YouTube (read only)

A platform without its tokens is switched off, with one log line naming what is missing.
"""


@click.command("serve", epilog=EPILOG)
@click.option(
    "--http",
    "http_port",
    type=click.IntRange(0, 65535),
    default=None,
    metavar="PORT",
    help="Receive Slack over HTTP on PORT (needs SLACK_SIGNING_SECRET) instead of Socket Mode.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port for /healthz and the Facebook/Telegram webhooks in Socket Mode.",
)
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help="Address the web server listens on.",
)
@click.option(
    "--poll-seconds",
    type=click.FloatRange(min=1.0),
    default=None,
    help="Seconds between two polls of each source (default: platforms.poll_seconds).",
)
@config_option
@click.pass_context
def serve_command(
    ctx: click.Context,
    http_port: int | None,
    port: int,
    host: str,
    poll_seconds: float | None,
    config_path: str | None,
) -> None:
    """Run socialbot: read mentions, triage them, post cards to Slack, send approved replies.

    Runs until stopped (Ctrl-C or SIGTERM), then finishes what it is doing and exits 0. Logs
    go to stderr: JSON lines when stderr is not a terminal. GET /healthz answers 200 while
    the store and every source are up, 503 otherwise.
    """
    if http_port is not None and ctx.get_parameter_source("port") is ParameterSource.COMMANDLINE:
        raise click.UsageError("with --http PORT everything is served on that port; drop --port")
    # Imported here, not at the top: Slack, aiohttp and the platform clients take a third of
    # a second to import, which every other command (`socialbot triage`...) would pay for.
    from bot.service.logs import configure_logging
    from bot.service.runner import ServeOptions, serve
    from bot.slack.app import Mode

    verbose = bool(ctx.find_root().params.get("verbose"))
    configure_logging(verbose=verbose)
    settings = settings_from(config_path)
    options = ServeOptions(
        mode=Mode.HTTP if http_port is not None else Mode.SOCKET,
        host=host,
        port=http_port if http_port is not None else port,
        poll_seconds=poll_seconds,
    )
    with handle_errors():
        try:
            code = serve(settings, options)
        except SocialbotError as exc:
            # Also as a log line, for whoever reads the logs rather than the terminal.
            logging.getLogger(__name__).error("cannot run: %s", exc.user_message())
            raise
    sys.exit(code)

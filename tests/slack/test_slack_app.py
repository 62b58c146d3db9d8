"""The factory: credentials from the environment, SLACK_API_URL, and the app manifest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fakes.slack_api import FakeSlackApi
from slack_rig import env_for, settings

from bot.errors import ConfigError
from bot.slack.app import Mode, SlackCredentials, build_slack_app
from bot.store.sqlite import SqliteStore

MANIFEST = Path(__file__).parents[2] / "slack" / "manifest.yml"


@pytest.mark.parametrize(
    ("mode", "missing", "named"),
    [
        (Mode.SOCKET, "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        (Mode.SOCKET, "SLACK_APP_TOKEN", "SLACK_APP_TOKEN"),
        (Mode.HTTP, "SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
    ],
)
def test_a_missing_secret_is_named(mode: Mode, missing: str, named: str) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
           "SLACK_SIGNING_SECRET": "s"}
    del env[missing]
    with pytest.raises(ConfigError) as caught:
        SlackCredentials.from_env(env, mode)
    assert caught.value.key == named


def test_http_mode_needs_no_app_token_and_secrets_never_show() -> None:
    credentials = SlackCredentials.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-secret-1", "SLACK_SIGNING_SECRET": "secret-2"}, Mode.HTTP
    )
    assert credentials.api_url == "https://slack.com/api/"
    assert "secret" not in repr(credentials)
    with pytest.raises(ConfigError, match="xoxb-"):
        SlackCredentials.from_env({"SLACK_BOT_TOKEN": "xoxp-user-token",
                                   "SLACK_SIGNING_SECRET": "s"}, Mode.HTTP)


def test_slack_api_url_points_the_web_api_at_another_server(tmp_path: Path) -> None:
    with FakeSlackApi() as fake:
        env = {**env_for(fake), "SLACK_API_URL": fake.base_url.rstrip("/")}
        store = SqliteStore(tmp_path / "s.sqlite3")
        try:
            bot = build_slack_app(settings(), store, env=env)  # Socket Mode by default
            assert bot.mode is Mode.SOCKET
            assert bot.verify() == "West Kent (test)"
            (call,) = fake.calls_to("auth.test")
            assert call.token == "xoxb-test-token"

            fake.fail_method("auth.test", error="invalid_auth")
            with pytest.raises(ConfigError, match="invalid_auth") as caught:
                bot.verify()
            assert caught.value.key == "SLACK_BOT_TOKEN"
        finally:
            store.close()


def test_the_manifest_creates_everything_the_app_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))

    settings_ = manifest["settings"]
    assert settings_["socket_mode_enabled"] is True
    assert settings_["interactivity"]["is_enabled"] is True
    assert settings_["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True  # direct-message fallback
    assert [c["command"] for c in features["slash_commands"]] == ["/socialbot"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # chat.postMessage / update / postEphemeral; /socialbot; usergroups.users.list
    assert scopes == {"chat:write", "commands", "usergroups:read"}

"""Settings from ``socialbot.toml`` (organisation details, hours, routing) and the environment.

Where the file is found: ``--config``, else ``$SOCIALBOT_CONFIG``, else ``./socialbot.toml``,
else the West Kent example shipped inside the package. Secrets (tokens, signing secrets,
database passwords) are never read from the file: only from the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: ``triage.sentence_embeddings`` (see bot/triage/embedding.py).
SentenceEmbeddings = Literal["auto", "on", "off"]
SENTENCE_EMBEDDINGS_VALUES: tuple[SentenceEmbeddings, ...] = ("auto", "on", "off")


@dataclass(frozen=True)
class Organisation:
    name: str
    short_name: str
    website: str
    phone: str
    emergency_repairs_phone: str
    gas_emergency_phone: str
    emergency_services: str
    contact_us_url: str
    complaints_url: str
    press_office_url: str
    press_office_email: str
    report_repair_url: str
    rent_url: str
    housing_url: str
    asb_url: str
    involvement_url: str
    policies_url: str
    twitter_handle: str
    facebook_page: str
    telegram_bot: str


@dataclass(frozen=True)
class OfficeHours:
    timezone: ZoneInfo
    opens: time
    closes: time
    days: tuple[int, ...]  # Monday is 0
    holidays_country: str
    holidays_subdiv: str

    def describe(self) -> str:
        """Human wording, e.g. '9am–5pm, Monday to Friday'."""
        names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        days = self.days
        if days == tuple(range(days[0], days[-1] + 1)) and len(days) > 1:
            span = f"{names[days[0]]} to {names[days[-1]]}"
        else:
            span = ", ".join(names[d] for d in days)
        return f"{_clock(self.opens)}–{_clock(self.closes)}, {span}"


@dataclass(frozen=True)
class SlackRouting:
    inbox_channel: str
    comms_channel: str
    urgent_channel: str
    moderation_channel: str
    approvers_usergroup: str
    comms_usergroup: str
    cover_rota: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoreSettings:
    data_dir: Path
    retention_days: int


@dataclass(frozen=True)
class PlatformSettings:
    twitter_user_id: str = ""
    facebook_page_id: str = ""
    flickr_user_id: str = ""
    youtube_channel_id: str = ""
    poll_seconds: int = 60


@dataclass(frozen=True)
class TriageSettings:
    #: The sentence-embedding classifier (the ``embeddings`` extra): "auto" uses it when the
    #: extra is installed, "on" requires it, "off" never uses it.
    sentence_embeddings: SentenceEmbeddings = "auto"


@dataclass(frozen=True)
class Settings:
    organisation: Organisation
    hours: OfficeHours
    slack: SlackRouting
    store: StoreSettings
    platforms: PlatformSettings
    triage: TriageSettings = TriageSettings()
    source: str = field(default="", compare=False)


def _clock(t: time) -> str:
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def default_config_text() -> str:
    return resources.files("bot").joinpath("socialbot.toml").read_text(encoding="utf-8")


def find_config(explicit: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """Return (text, where-from) of the configuration to use."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get("SOCIALBOT_CONFIG"):
        candidates.append(Path(os.environ["SOCIALBOT_CONFIG"]))
    else:
        local = Path.cwd() / "socialbot.toml"
        if local.is_file():
            candidates.append(local)
    for path in candidates:
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ConfigError("config file", f"cannot read {path}: {exc.strerror}") from exc
    return default_config_text(), "built-in example (West Kent Housing Association)"


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    text, where = find_config(explicit)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config file", f"{where} is not valid TOML: {exc}") from exc
    return parse_settings(raw, source=where)


def parse_settings(raw: dict[str, Any], source: str = "") -> Settings:
    org = _section(raw, "organisation")
    hours = _section(raw, "hours")
    slack = _section(raw, "slack")
    store = _section(raw, "store")
    platforms = raw.get("platforms", {})
    if not isinstance(platforms, dict):
        raise ConfigError("platforms", "must be a table")
    triage = raw.get("triage", {})
    if not isinstance(triage, dict):
        raise ConfigError("triage", "must be a table")
    return Settings(
        organisation=Organisation(
            **{f.name: _str(org, "organisation", f.name) for f in fields(Organisation)}
        ),
        hours=_parse_hours(hours),
        slack=SlackRouting(
            inbox_channel=_str(slack, "slack", "inbox_channel"),
            comms_channel=_str(slack, "slack", "comms_channel"),
            urgent_channel=_str(slack, "slack", "urgent_channel"),
            moderation_channel=_str(slack, "slack", "moderation_channel", required=False),
            approvers_usergroup=_str(slack, "slack", "approvers_usergroup"),
            comms_usergroup=_str(slack, "slack", "comms_usergroup"),
            cover_rota=tuple(_str_list(slack, "slack", "cover_rota", required=False)),
        ),
        store=StoreSettings(
            data_dir=Path(
                os.environ.get("SOCIALBOT_DATA_DIR") or _str(store, "store", "data_dir")
            ).expanduser(),
            retention_days=_int(store, "store", "retention_days", minimum=1),
        ),
        platforms=PlatformSettings(
            twitter_user_id=_str(platforms, "platforms", "twitter_user_id", required=False),
            facebook_page_id=_str(platforms, "platforms", "facebook_page_id", required=False),
            flickr_user_id=_str(platforms, "platforms", "flickr_user_id", required=False),
            youtube_channel_id=_str(
                platforms, "platforms", "youtube_channel_id", required=False
            ),
            poll_seconds=_int(platforms, "platforms", "poll_seconds", minimum=5, default=60),
        ),
        triage=TriageSettings(
            sentence_embeddings=cast(
                SentenceEmbeddings,
                _choice(
                    triage, "triage", "sentence_embeddings", SENTENCE_EMBEDDINGS_VALUES, "auto"
                ),
            ),
        ),
        source=source,
    )


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    if value is None:
        raise ConfigError(name, "missing section")
    if not isinstance(value, dict):
        raise ConfigError(name, "must be a table")
    return value


def _str(table: dict[str, Any], section: str, key: str, *, required: bool = True) -> str:
    value = table.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{section}.{key}", "missing")
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{section}.{key}", f"must be a string, not {type(value).__name__}")
    return value


def _str_list(table: dict[str, Any], section: str, key: str, *, required: bool) -> list[str]:
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{section}.{key}", "missing")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{section}.{key}", "must be a list of strings")
    return list(value)


def _choice(
    table: dict[str, Any], section: str, key: str, choices: tuple[str, ...], default: str
) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or value not in choices:
        shown = f"'{value}'" if isinstance(value, str) else type(value).__name__
        raise ConfigError(
            f"{section}.{key}", f"must be one of {', '.join(choices)}, not {shown}"
        )
    return value


def _int(
    table: dict[str, Any], section: str, key: str, *, minimum: int, default: int | None = None
) -> int:
    value = table.get(key, default)
    if value is None:
        raise ConfigError(f"{section}.{key}", "missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{section}.{key}", "must be a whole number")
    if value < minimum:
        raise ConfigError(f"{section}.{key}", f"must be at least {minimum}")
    return value


def _parse_time(table: dict[str, Any], key: str) -> time:
    text = _str(table, "hours", key)
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"hours.{key}", f"'{text}' is not a time like 09:00") from exc


def _parse_hours(table: dict[str, Any]) -> OfficeHours:
    tz_name = _str(table, "hours", "timezone")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("hours.timezone", f"unknown time zone '{tz_name}'") from exc
    opens, closes = _parse_time(table, "opens"), _parse_time(table, "closes")
    if closes <= opens:
        raise ConfigError("hours.closes", "must be later than hours.opens")
    day_names = _str_list(table, "hours", "days", required=True)
    days: list[int] = []
    for name in day_names:
        if name.lower()[:3] not in WEEKDAYS:
            raise ConfigError("hours.days", f"'{name}' is not a weekday (mon..sun)")
        days.append(WEEKDAYS.index(name.lower()[:3]))
    if not days:
        raise ConfigError("hours.days", "must name at least one day")
    return OfficeHours(
        timezone=tz,
        opens=opens,
        closes=closes,
        days=tuple(sorted(set(days))),
        holidays_country=_str(table, "hours", "holidays_country"),
        holidays_subdiv=_str(table, "hours", "holidays_subdiv", required=False),
    )

"""One error hierarchy for the whole project.

The edges (CLI, Slack) turn a ``SocialbotError`` into a message a person can act on;
anything else is a bug and is logged with its traceback.
"""

from __future__ import annotations


class SocialbotError(Exception):
    """Base of every error socialbot raises on purpose."""

    #: What a non-programmer reads; defaults to the exception text.
    def user_message(self) -> str:
        return str(self)


class ConfigError(SocialbotError):
    """The configuration file or environment is missing or wrong; names the key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"config key '{key}': {problem}")
        self.key = key
        self.problem = problem


class InputError(SocialbotError):
    """A mention payload that cannot be read (bad JSON, missing field, unknown platform...)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}")
        self.line = line
        self.reason = message


class ModelError(SocialbotError):
    """The intent model cannot be built or loaded."""


class TemplateError(SocialbotError):
    """A reply template is missing or does not render."""


class StoreError(SocialbotError):
    """The store could not do what was asked."""


class IllegalTransition(StoreError):
    """An approval step that the state machine does not allow from the current state."""

    def __init__(self, mention_key: str, current: str, target: str, reason: str = "") -> None:
        because = f": {reason}" if reason else ""
        super().__init__(
            f"{mention_key} is '{current}', so it cannot become '{target}'{because}"
        )
        self.current = current
        self.target = target


class AlreadyDecided(StoreError):
    """Somebody else acted first: the compare-and-set on the state lost."""


class UnknownMention(StoreError):
    """No mention with this key was ever stored."""


class LeaseLost(StoreError):
    """An outbox worker no longer holds the item it was working on (its lease ran out)."""


class PlatformError(SocialbotError):
    """A platform API call failed."""

    def __init__(self, platform: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(f"{platform}: {message}")
        self.platform = platform
        self.retryable = retryable


class RateLimited(PlatformError):
    """The platform asked us to wait longer than is worth waiting in place (retry_after s)."""

    def __init__(self, platform: str, message: str, *, retry_after: float) -> None:
        super().__init__(platform, message, retryable=True)
        self.retry_after = retry_after


class DeliveryUnknown(PlatformError):
    """A send may or may not have reached the platform: sending again blindly could post twice.

    Not retryable on purpose: a person checks the platform (or ``find_sent`` does) first.
    """

    def __init__(self, platform: str, message: str) -> None:
        super().__init__(platform, message, retryable=False)


class NotAllowed(SocialbotError):
    """The person is not allowed to take this action."""

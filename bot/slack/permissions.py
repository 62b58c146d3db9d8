"""Who may act: membership of the approvers and Comms user groups, read from Slack.

Membership comes from ``usergroups.users.list`` and is kept for a short while so that a
burst of clicks costs one call. If Slack cannot be asked, a recent answer is still used for a
few minutes; with no answer at all, nobody is allowed (refusing is safe, allowing is not).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import SlackRouting
from bot.errors import NotAllowed
from bot.review.service import Role

log = logging.getLogger(__name__)

#: How long a membership list is trusted before asking Slack again.
FRESH_SECONDS = 60.0
#: How long an old list may stand in when Slack cannot be asked.
STALE_SECONDS = 600.0

ROLE_NAMES = {Role.APPROVER: "approvers", Role.COMMS: "Communications Team"}


@dataclass(frozen=True)
class _Members:
    users: frozenset[str]
    fetched: float


class Permissions:
    def __init__(
        self,
        client: WebClient,
        routing: SlackRouting,
        *,
        fresh_seconds: float = FRESH_SECONDS,
        stale_seconds: float = STALE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._groups = {
            Role.APPROVER: routing.approvers_usergroup,
            Role.COMMS: routing.comms_usergroup,
        }
        self._fresh = fresh_seconds
        self._stale = stale_seconds
        self._now = monotonic
        self._cache: dict[str, _Members] = {}
        self._lock = threading.Lock()

    def has_role(self, user_id: str, role: Role) -> bool:
        return user_id in self.members(self._groups[role])

    def require(self, user_id: str, role: Role) -> None:
        """Raise NotAllowed (with words for the person) unless ``user_id`` has ``role``."""
        if not self.has_role(user_id, role):
            raise NotAllowed(
                f"Only members of the {ROLE_NAMES[role]} group can do this. "
                "Nothing was changed."
            )

    def members(self, group_id: str) -> frozenset[str]:
        """The members of a user group; raises NotAllowed if Slack cannot tell us."""
        now = self._now()
        with self._lock:
            cached = self._cache.get(group_id)
        if cached is not None and now - cached.fetched < self._fresh:
            return cached.users
        try:
            response = self._client.usergroups_users_list(usergroup=group_id)
            users = frozenset(str(u) for u in response.get("users") or [])
        except (SlackApiError, SlackClientError, OSError) as exc:
            if cached is not None and now - cached.fetched < self._stale:
                log.warning("usergroups.users.list failed (%s); using the list from before", exc)
                return cached.users
            log.error("usergroups.users.list failed for %s: %s", group_id, exc)
            raise NotAllowed(
                "I could not check your permissions with Slack just now. "
                "Nothing was changed; please try again in a minute."
            ) from exc
        with self._lock:
            self._cache[group_id] = _Members(users, now)
        return users

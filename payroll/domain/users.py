"""A console user's account as the services see it (the password only as its hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class UserAccount:
    """One console user: login name, role, districts, password hash and login state."""

    username: str
    display_name: str
    password_hash: str
    role: str
    districts: tuple[str, ...]
    disabled: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None
    must_change_password: bool = True
    created_at: datetime | None = None
    password_changed_at: datetime | None = None
    id: int | None = None  # assigned when stored
    session_version: int = 0  # raised to end every console session of the user

    def locked(self, now: datetime) -> bool:
        """Whether a login lock is still in force at ``now`` (UTC)."""
        until = self.locked_until
        if until is None:
            return False
        if until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        return until > now

"""Console user accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from payroll.domain.users import UserAccount


class UserStore(Protocol):
    def get(self, username: str) -> UserAccount | None:
        """The account with this login name, if any."""
        ...

    def by_id(self, user_id: int) -> UserAccount | None:
        """The account with this id (a console session holds it), if any."""
        ...

    def all(self) -> list[UserAccount]:
        """Every account, by login name."""
        ...

    def add(self, account: UserAccount) -> int:
        """Store a new account; returns its id."""
        ...

    def set_password(
        self, username: str, password_hash: str, *, must_change: bool, changed_at: datetime
    ) -> None:
        """A new password hash; a reset also lifts the lock (see :meth:`set_failures`)."""
        ...

    def set_disabled(self, username: str) -> None:
        """The account can no longer log in."""
        ...

    def end_sessions(self, username: str) -> None:
        """Raise the session version: every console session of the user ends."""
        ...

    def set_failures(
        self, username: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        """The failed-login counter and the lock."""
        ...

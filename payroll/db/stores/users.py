"""Console user accounts behind :class:`payroll.services.ports.users.UserStore`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.models import UserRow
from payroll.domain.users import UserAccount


def _account(row: UserRow) -> UserAccount:
    return UserAccount(
        username=row.username,
        display_name=row.display_name,
        password_hash=row.password_hash,
        role=row.role,
        districts=tuple(d for d in row.districts.split(",") if d),
        disabled=row.disabled,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        must_change_password=row.must_change_password,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
        id=row.id,
        session_version=row.session_version or 0,
    )


class SqlUserStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, username: str) -> UserRow | None:
        return self.session.scalars(select(UserRow).where(UserRow.username == username)).first()

    def _existing(self, username: str) -> UserRow:
        row = self._row(username)
        if row is None:
            raise KeyError(username)
        return row

    def get(self, username: str) -> UserAccount | None:
        row = self._row(username)
        return _account(row) if row else None

    def by_id(self, user_id: int) -> UserAccount | None:
        row = self.session.get(UserRow, user_id)
        return _account(row) if row else None

    def all(self) -> list[UserAccount]:
        return [
            _account(r) for r in self.session.scalars(select(UserRow).order_by(UserRow.username))
        ]

    def add(self, account: UserAccount) -> int:
        row = UserRow(
            username=account.username,
            display_name=account.display_name,
            password_hash=account.password_hash,
            role=account.role,
            districts=",".join(account.districts),
            disabled=account.disabled,
            failed_logins=account.failed_logins,
            locked_until=account.locked_until,
            must_change_password=account.must_change_password,
            created_at=account.created_at,
            password_changed_at=account.password_changed_at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def set_password(
        self, username: str, password_hash: str, *, must_change: bool, changed_at: datetime
    ) -> None:
        row = self._existing(username)
        row.password_hash = password_hash
        row.must_change_password = must_change
        row.password_changed_at = changed_at

    def set_disabled(self, username: str) -> None:
        self._existing(username).disabled = True

    def end_sessions(self, username: str) -> None:
        row = self._existing(username)
        row.session_version = (row.session_version or 0) + 1

    def set_failures(
        self, username: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        row = self._existing(username)
        row.failed_logins, row.locked_until = failed_logins, locked_until

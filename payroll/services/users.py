"""Console users: Argon2 password hashes, one-time passwords, login throttling.

A new or reset user gets a one-time password (shown once, never stored in clear) and must
choose a new one at the first login. After :data:`MAX_FAILED` wrong passwords in a row
the account is locked for :data:`LOCK_MINUTES` minutes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from payroll.db.engine import transaction
from payroll.db.models import District, UserRow
from payroll.domain.model import PayrollError
from payroll.services import audit
from payroll.services.access import ROLE_LABELS, Actor, Role

MAX_FAILED = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class UserError(PayrollError):
    """A user operation refused (unknown user, bad role or district, weak password)."""


class LoginFailed(PayrollError):
    """Wrong username or password, a disabled or a locked account (one message for all)."""


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: str
    districts: tuple[str, ...]
    disabled: bool
    locked: bool
    must_change_password: bool


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(14))


def actor_of(row: UserRow) -> Actor:
    return Actor(
        row.username,
        Role(row.role),
        frozenset(d for d in row.districts.split(",") if d),
        row.display_name,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _find(session: Session, username: str) -> UserRow:
    row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
    if row is None:
        raise UserError(f"사용자 {username!r}: 없습니다 (`payroll user list`)")
    return row


def _districts(session: Session, role: Role, given: list[str]) -> list[str]:
    codes = []
    for value in given:
        found = (
            session.get(District, value)
            or session.scalars(select(District).where(District.name == value)).first()
        )
        if found is None:
            raise UserError(f"알 수 없는 자치구 {value!r} (코드 11110 또는 이름 종로구)")
        codes.append(found.code)
    if role in (Role.CLERK, Role.MANAGER) and not codes:
        raise UserError(f"{ROLE_LABELS[role]}({role.value})에게는 담당 자치구가 필요합니다")
    return sorted(set(codes))


def add_user(
    session: Session,
    username: str,
    display_name: str,
    role: str,
    districts: list[str],
    by: str,
) -> str:
    """Add a user; return the one-time password (shown once)."""
    if not username or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError(f"사용자 이름 {username!r}: 영문, 숫자, '.', '_', '-'만 씁니다")
    try:
        the_role = Role(role)
    except ValueError:
        raise UserError(
            f"알 수 없는 역할 {role!r} (역할: {', '.join(r.value for r in Role)})"
        ) from None
    if session.scalars(select(UserRow).where(UserRow.username == username)).first():
        raise UserError(f"사용자 {username!r}: 이미 있습니다")
    codes = _districts(session, the_role, districts)
    password = one_time_password()
    session.add(
        UserRow(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
            role=the_role.value,
            districts=",".join(codes),
            disabled=False,
            failed_logins=0,
            must_change_password=True,
            created_at=_now(),
        )
    )
    audit.record(session, by, "user.added", "user", username, role=the_role.value, districts=codes)
    return password


def list_users(session: Session) -> list[UserInfo]:
    now = _now()
    return [
        UserInfo(
            r.username,
            r.display_name,
            r.role,
            tuple(d for d in r.districts.split(",") if d),
            r.disabled,
            bool(r.locked_until and _aware(r.locked_until) > now),  # type: ignore[operator]
            r.must_change_password,
        )
        for r in session.scalars(select(UserRow).order_by(UserRow.username))
    ]


def disable_user(session: Session, username: str, by: str) -> None:
    row = _find(session, username)
    row.disabled = True
    audit.record(session, by, "user.disabled", "user", username)


def reset_password(session: Session, username: str, by: str) -> str:
    """A new one-time password (shown once); the lock is lifted, old sessions end."""
    row = _find(session, username)
    password = one_time_password()
    row.password_hash = _hasher.hash(password)
    row.must_change_password = True
    row.failed_logins, row.locked_until = 0, None
    row.password_changed_at = _now()
    audit.record(session, by, "user.password_reset", "user", username)
    return password


LOGIN_REFUSED = "아이디 또는 비밀번호가 맞지 않거나 잠긴 계정입니다"


def login(engine: Engine, username: str, password: str) -> UserRow:
    """The user whose password this is; :class:`LoginFailed` otherwise.

    The failure counter and lock are committed before the refusal is raised.
    """
    with transaction(engine) as session:
        row = authenticate(session, username, password)
    if row is None:
        raise LoginFailed(LOGIN_REFUSED)
    return row


def authenticate(session: Session, username: str, password: str) -> UserRow | None:
    """The user whose password this is, or None (the failure is counted in ``session``)."""
    row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
    refused = None
    if row is None:
        _verify(_DUMMY_HASH, password)
        return refused
    now = _now()
    locked = row.locked_until is not None and _aware(row.locked_until) > now  # type: ignore[operator]
    if row.disabled or locked:
        return refused
    if not _verify(row.password_hash, password):
        row.failed_logins += 1
        if row.failed_logins >= MAX_FAILED:
            row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            row.failed_logins = 0
            audit.record(session, username, "user.locked", "user", username)
        return refused
    row.failed_logins, row.locked_until = 0, None
    audit.record(session, username, "user.login", "user", username)
    return row


def change_password(session: Session, username: str, old: str, new: str) -> None:
    """Change one's own password (the old one is asked again)."""
    row = _find(session, username)
    if not _verify(row.password_hash, old):
        raise UserError("현재 비밀번호가 맞지 않습니다")
    if len(new) < MIN_PASSWORD:
        raise UserError(f"새 비밀번호는 {MIN_PASSWORD}자 이상이어야 합니다")
    if new == old:
        raise UserError("새 비밀번호가 현재 비밀번호와 같습니다")
    row.password_hash = _hasher.hash(new)
    row.must_change_password = False
    row.password_changed_at = _now()
    audit.record(session, username, "user.password_changed", "user", username)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False

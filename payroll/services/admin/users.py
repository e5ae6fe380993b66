"""Console users: Argon2 password hashes, one-time passwords, login throttling.

A new or reset user gets a one-time password (shown once, never stored in clear) and must
choose a new one at the first login. After :data:`MAX_FAILED` wrong passwords in a row
the account is locked for :data:`LOCK_MINUTES` minutes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from payroll.domain.model import PayrollError
from payroll.domain.users import UserAccount
from payroll.services.admin import password_policy
from payroll.services.common import audit
from payroll.services.common.access import ROLE_LABELS, Actor, Role
from payroll.services.unit_of_work import UnitOfWork

MAX_FAILED = 5
LOCK_MINUTES = 15
MIN_PASSWORD = password_policy.MIN_LENGTH
MAX_USERNAME = 60
MAX_DISPLAY_NAME = 100
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take the same time
    (made on first use, not at import: ``payroll --help`` computes no hash)."""
    return _hasher.hash("not-a-real-password")


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


def check_username(username: str) -> None:
    """Refuse a username that is not 1–60 ASCII letters, digits, ``.``, ``_``, ``-``."""
    if not username or len(username) > MAX_USERNAME or not set(username) <= _USERNAME_CHARS:
        raise UserError(
            f"사용자 이름 {username[:MAX_USERNAME]!r}: 영문, 숫자, '.', '_', '-'만 "
            f"{MAX_USERNAME}자까지 씁니다"
        )


def one_time_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(14))


def actor_of(account: UserAccount) -> Actor:
    return Actor(
        account.username, Role(account.role), frozenset(account.districts), account.display_name
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _find(uow: UnitOfWork, username: str) -> UserAccount:
    account = uow.users.get(username)
    if account is None:
        raise UserError(f"사용자 {username!r}: 없습니다 (`payroll user list`)")
    return account


def _districts(uow: UnitOfWork, role: Role, given: list[str]) -> list[str]:
    names = uow.names.districts()
    by_name = {name: code for code, name in names.items()}
    codes = []
    for value in given:
        code = value if value in names else by_name.get(value)
        if code is None:
            raise UserError(f"알 수 없는 자치구 {value!r} (코드 11110 또는 이름 종로구)")
        codes.append(code)
    if role in (Role.CLERK, Role.MANAGER) and not codes:
        raise UserError(f"{ROLE_LABELS[role]}({role.value})에게는 담당 자치구가 필요합니다")
    return sorted(set(codes))


def add_user(
    uow: UnitOfWork,
    username: str,
    display_name: str,
    role: str,
    districts: list[str],
    by: str,
) -> str:
    """Add a user; return the one-time password (shown once).

    The username is ASCII letters, digits, ``.``, ``_`` and ``-`` (so ``adмin`` with a
    Cyrillic letter or a full-width ``ａdmin`` cannot pose as ``admin``) and unique ignoring
    case (``Admin`` beside ``admin`` is refused).
    """
    check_username(username)
    display_name = display_name.strip()
    if len(display_name) > MAX_DISPLAY_NAME:
        raise UserError(f"표시 이름은 {MAX_DISPLAY_NAME}자까지입니다")
    try:
        the_role = Role(role)
    except ValueError:
        raise UserError(
            f"알 수 없는 역할 {role!r} (역할: {', '.join(r.value for r in Role)})"
        ) from None
    with uow:
        taken = {a.username.casefold(): a.username for a in uow.users.all()}
        if username.casefold() in taken:
            raise UserError(
                f"사용자 {username!r}: 이미 있습니다 ({taken[username.casefold()]!r}, "
                "대소문자만 다른 이름은 같은 이름입니다)"
            )
        codes = _districts(uow, the_role, districts)
        password = one_time_password()
        uow.users.add(
            UserAccount(
                username=username,
                display_name=display_name or username,
                password_hash=_hasher.hash(password),
                role=the_role.value,
                districts=tuple(codes),
                disabled=False,
                failed_logins=0,
                must_change_password=True,
                created_at=_now(),
            )
        )
        audit.record(uow, by, "user.added", "user", username, role=the_role.value, districts=codes)
    return password


def list_users(uow: UnitOfWork) -> list[UserInfo]:
    now = _now()
    with uow:
        accounts = uow.users.all()
    return [
        UserInfo(
            a.username,
            a.display_name,
            a.role,
            a.districts,
            a.disabled,
            a.locked(now),
            a.must_change_password,
        )
        for a in accounts
    ]


def account(uow: UnitOfWork, user_id: int) -> UserAccount | None:
    """The account a console session holds, if it still exists."""
    with uow:
        return uow.users.by_id(user_id)


def disable_user(uow: UnitOfWork, username: str, by: str) -> None:
    with uow:
        _find(uow, username)
        uow.users.set_disabled(username)
        uow.users.end_sessions(username)
        audit.record(uow, by, "user.disabled", "user", username)


def reset_password(uow: UnitOfWork, username: str, by: str) -> str:
    """A new one-time password (shown once); the lock is lifted, old sessions end."""
    with uow:
        _find(uow, username)
        password = one_time_password()
        uow.users.set_password(
            username, _hasher.hash(password), must_change=True, changed_at=_now()
        )
        uow.users.set_failures(username, 0, None)
        uow.users.end_sessions(username)
        audit.record(uow, by, "user.password_reset", "user", username)
    return password


LOGIN_REFUSED = "아이디 또는 비밀번호가 맞지 않거나 잠긴 계정입니다"


def login(uow: UnitOfWork, username: str, password: str) -> UserAccount:
    """The user whose password this is; :class:`LoginFailed` otherwise.

    The failure counter and lock are committed before the refusal is raised.
    """
    with audit.acting_as("user"), uow:
        found = authenticate(uow, username, password)
    if found is None:
        raise LoginFailed(LOGIN_REFUSED)
    return found


def authenticate(uow: UnitOfWork, username: str, password: str) -> UserAccount | None:
    """The user whose password this is, or None (the failure is counted in ``uow``)."""
    with uow:
        found = uow.users.get(username)
        refused = None
        if found is None:
            _verify(_dummy_hash(), password)
            return refused
        now = _now()
        if found.disabled or found.locked(now):
            _verify(found.password_hash, password)  # the same time as a wrong password
            return refused
        if not _verify(found.password_hash, password):
            failed = found.failed_logins + 1
            if failed >= MAX_FAILED:
                uow.users.set_failures(username, 0, now + timedelta(minutes=LOCK_MINUTES))
                audit.record(uow, username, "user.locked", "user", username)
            else:
                uow.users.set_failures(username, failed, found.locked_until)
            return refused
        uow.users.set_failures(username, 0, None)
        audit.record(uow, username, "user.login", "user", username)
        return uow.users.get(username)


def change_password(uow: UnitOfWork, username: str, old: str, new: str) -> None:
    """Change one's own password (the old one is asked again)."""
    with uow:
        found = _find(uow, username)
        if not _verify(found.password_hash, old):
            raise UserError("현재 비밀번호가 맞지 않습니다")
        why = password_policy.problem(new, username)
        if why:
            raise UserError(why)
        if new == old:
            raise UserError("새 비밀번호가 현재 비밀번호와 같습니다")
        uow.users.set_password(username, _hasher.hash(new), must_change=False, changed_at=_now())
        uow.users.end_sessions(username)  # every other session of the user ends
        with audit.acting_as("user"):
            audit.record(uow, username, "user.password_changed", "user", username)


def logout(uow: UnitOfWork, username: str) -> None:
    """End every console session of ``username`` (the cookie alone no longer signs in)."""
    with uow, audit.acting_as("user"):
        if uow.users.get(username) is not None:
            uow.users.end_sessions(username)
            audit.record(uow, username, "user.logout", "user", username)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False

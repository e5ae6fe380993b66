"""Weak passwords and look-alike usernames are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.password_policy import problem
from payroll.services.admin.users import UserError, add_user, change_password


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaa",
        "1234567890",
        "password12",
        "Password!2025",
        "qwertyuiop1",
        "clerkclerk",
        "clerk12345",
        "0987654321",
        "short1!",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert problem(password, "clerk") is not None


@pytest.mark.parametrize(
    "password", ["비밀번호-clerk-2025", "말랑한-구름-다섯개", "Tr4ck-b1ke-Sun"]
)
def test_reasonable_passwords_pass(password: str) -> None:
    assert problem(password, "clerk") is None


def test_change_password_applies_the_policy(engine: Engine) -> None:
    first = add_user(SqlUnitOfWork(engine), "clerk", "담당", "district_clerk", ["11110"], "t")
    for weak in ("aaaaaaaaaa", "1234567890", "password12", "clerkclerk"):
        with pytest.raises(UserError):
            change_password(SqlUnitOfWork(engine), "clerk", first, weak)
    change_password(SqlUnitOfWork(engine), "clerk", first, "말랑한-구름-다섯개")


@pytest.mark.parametrize("name", ["adмin", "ａdmin", "ad min", "admin<script>", "", "a" * 61])
def test_usernames_are_plain_ascii(engine: Engine, name: str) -> None:
    with pytest.raises(UserError):
        add_user(SqlUnitOfWork(engine), name, "", "city_admin", [], "t")


def test_usernames_are_unique_ignoring_case(engine: Engine) -> None:
    add_user(SqlUnitOfWork(engine), "admin", "", "city_admin", [], "t")
    for name in ("Admin", "ADMIN"):
        with pytest.raises(UserError, match="이미 있습니다"):
            add_user(SqlUnitOfWork(engine), name, "", "city_admin", [], "t")

"""Web console fixtures: a console app on the test database, users of every role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.users import add_user, change_password
from payroll.web.app import create_app
from payroll.web.security import LoginThrottle

OWN, OTHER = "11110", "11140"
USERS = {
    "clerk": ("district_clerk", [OWN]),
    "clerk2": ("district_clerk", [OTHER]),
    "manager": ("district_manager", [OWN]),
    "manager2": ("district_manager", [OWN]),
    "finance": ("finance", []),
    "admin": ("city_admin", []),
}


def password_of(username: str) -> str:
    return f"비밀번호-{username}-2025"


def make_user(engine: Engine, username: str, role: str, districts: list[str]) -> str:
    """A user who already chose their password (see :func:`password_of`)."""
    uow = SqlUnitOfWork(engine)
    with uow:
        first = add_user(uow, username, f"{username} 님", role, districts, "test")
        change_password(uow, username, first, password_of(username))
    return password_of(username)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the smallest cost: the same code path, fast enough for many logins."""
    from argon2 import PasswordHasher

    from payroll.services.admin import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def users(engine: Engine) -> dict[str, str]:
    return {name: make_user(engine, name, role, d) for name, (role, d) in USERS.items()}


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> object:
    return create_app(
        engine,
        secret="test-secret-" + "x" * 20,
        out_dir=tmp_path / "out",
        throttle=LoginThrottle(3),
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


class Browser:
    """A TestClient that logs in and posts forms with the page's CSRF token."""

    def __init__(self, app: object) -> None:
        self.client = TestClient(app, follow_redirects=True)  # type: ignore[arg-type]

    def login(self, username: str, password: str | None = None) -> object:
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={
                "username": username,
                "password": password or password_of(username),
                "csrftoken": csrf_of(page.text),
            },
        )

    def token(self) -> str:
        return csrf_of(self.client.get("/login").text)

    def post(self, url: str, **data: str) -> object:
        return self.client.post(url, data={"csrftoken": self.token(), **data})

    def get(self, url: str, **kw: object) -> object:
        return self.client.get(url, **kw)  # type: ignore[arg-type]


@pytest.fixture
def browser(app: object) -> Iterator[type[Browser]]:
    yield lambda: Browser(app)  # type: ignore[misc]

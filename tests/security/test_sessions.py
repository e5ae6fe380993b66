"""A stolen or kept session cookie stops working once the server ends the session."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, update

from payroll.db.engine import transaction
from payroll.db.models import UserRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.users import disable_user, reset_password
from payroll.web.app import SESSION_COOKIE
from tests.e2e.web.conftest import password_of

pytestmark = pytest.mark.usefixtures("users")


def stolen_copy(b: Any, browser: Any) -> Any:
    """A second client holding a copy of ``b``'s session cookie."""
    thief = browser()
    thief.client.cookies.set(SESSION_COOKIE, b.client.cookies.get(SESSION_COOKIE))
    return thief


def test_cookie_copied_before_logout_no_longer_signs_in(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    thief = stolen_copy(b, browser)
    assert thief.get("/board").url.path == "/board"
    b.post("/logout")
    assert thief.get("/board").url.path == "/login"


def test_password_change_ends_other_sessions(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    other = browser()
    other.login("clerk")
    new = "다른-비밀번호-7788"
    b.post("/password", current=password_of("clerk"), new=new, again=new)
    assert b.get("/board").url.path == "/board"  # the one who changed it stays signed in
    assert other.get("/board").url.path == "/login"


def test_disable_and_reset_end_sessions(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("clerk")
    reset_password(SqlUnitOfWork(engine), "clerk", "admin")
    assert b.get("/board").url.path == "/login"
    m = browser()
    m.login("manager")
    disable_user(SqlUnitOfWork(engine), "manager", "admin")
    assert m.get("/board").url.path == "/login"


def test_role_or_district_change_ends_the_session(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("clerk")
    with transaction(engine) as session:
        session.execute(
            update(UserRow).where(UserRow.username == "clerk").values(role="district_manager")
        )
    assert b.get("/board").url.path == "/login"
    c = browser()
    c.login("clerk2")
    with transaction(engine) as session:
        session.execute(update(UserRow).where(UserRow.username == "clerk2").values(districts=""))
    assert c.get("/board").url.path == "/login"


def test_logout_is_audited_as_the_user(browser: Any, engine: Engine) -> None:
    from sqlalchemy import select

    from payroll.db.models import AuditLog

    b = browser()
    b.login("clerk")
    b.post("/logout")
    with transaction(engine) as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.actor == "clerk")).all()
        kinds = {(r.action, r.actor_kind) for r in rows}
    assert ("user.login", "user") in kinds and ("user.logout", "user") in kinds

"""The "totals only" city administrator cannot get at names through accounts it issues."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.users import login
from payroll.services.common.access import Actor, Forbidden, Role
from payroll.services.console import admin as console_admin
from tests.e2e.web.conftest import OWN, password_of

pytestmark = pytest.mark.usefixtures("users")
ADMIN = Actor("admin", Role.CITY_ADMIN)


@pytest.mark.parametrize(
    ("role", "districts"),
    [("district_clerk", "종로구"), ("district_manager", "종로구"), ("finance", "")],
)
def test_admin_cannot_create_an_account_that_reads_names(
    browser: Any, role: str, districts: str
) -> None:
    b = browser()
    b.login("admin")
    page = b.post("/admin/users", username="mole", role=role, districts=districts)
    assert page.status_code == 403 and "일회용 비밀번호" not in page.text


@pytest.mark.parametrize("target", ["clerk", "manager", "finance"])
def test_admin_cannot_reset_an_account_that_reads_names(
    browser: Any, engine: Engine, target: str
) -> None:
    b = browser()
    b.login("admin")
    page = b.post(f"/admin/users/{target}/reset")
    assert page.status_code == 403 and "<code>" not in page.text
    assert login(SqlUnitOfWork(engine), target, password_of(target))  # password unchanged


def test_service_refuses_too_not_only_the_screen(engine: Engine) -> None:
    with pytest.raises(Forbidden):
        console_admin.add_user(SqlUnitOfWork(engine), ADMIN, "mole", "", "district_clerk", [OWN])
    with pytest.raises(Forbidden):
        console_admin.reset_password(SqlUnitOfWork(engine), ADMIN, "manager")


def test_one_time_password_never_travels_in_the_cookie(browser: Any) -> None:
    b = browser()
    b.login("admin")
    answer = b.client.post(
        "/admin/users",
        data={"username": "second.admin", "role": "city_admin", "csrftoken": b.token()},
        follow_redirects=False,
    )
    once = answer.text.split("<code>")[1].split("</code>")[0]  # shown in this page only
    cookies = " ".join(answer.headers.get_list("set-cookie"))
    decoded = ""
    for part in cookies.replace(";", " ").replace("=", " ").replace(".", " ").split():
        try:
            decoded += base64.b64decode(part + "=" * (-len(part) % 4)).decode("utf-8", "replace")
        except ValueError:
            continue
    assert once not in decoded and "one_time" not in decoded


def test_manager_sees_and_disables_own_district_accounts_only(browser: Any) -> None:
    b = browser()
    b.login("manager")
    page = b.get("/district/users")
    assert page.status_code == 200 and "clerk" in page.text and "clerk2" not in page.text
    assert "finance" not in page.text.split("<tbody>")[1]
    assert b.post("/district/users/clerk2/disable").status_code == 404  # another district
    assert b.post("/district/users/clerk/disable").status_code == 200
    clerk = browser()
    assert clerk.login("clerk").status_code == 401  # disabled now


def test_clerk_has_no_accounts_page(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    assert b.get("/district/users").status_code == 403

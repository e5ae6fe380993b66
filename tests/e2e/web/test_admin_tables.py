"""The city administrator's holiday overrides and withholding-table upload in the console."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import Engine, select

from payroll.db.catalog_store import holiday_calendar, withholding_table
from payroll.db.engine import transaction
from payroll.db.models import AuditLog, HolidayOverride, WithholdingTableRow

pytestmark = pytest.mark.usefixtures("users")

OFFICIAL = resources.files("payroll.data").joinpath("withholding_table_official.csv").read_text()


def send_table(b: Any, name: str, body: str) -> Any:
    return b.client.post(
        "/admin/withholding",
        data={"csrftoken": b.token()},
        files={"file": (name, body.encode("utf-8"), "text/csv")},
    )


def overrides(engine: Engine) -> dict[date, tuple[str, str]]:
    with transaction(engine) as session:
        return {o.day: (o.action, o.name) for o in session.scalars(select(HolidayOverride))}


def test_city_admin_adds_and_removes_a_holiday(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("admin")
    added = b.post("/admin/holidays", day="2025-10-10", name="임시공휴일", action="add")
    assert added.url.path == "/admin/holidays" and "2025-10-10: 공휴일로 추가했습니다" in added.text
    assert "<td>2025-10-10</td><td>임시공휴일</td>" in added.text
    with transaction(engine) as session:
        assert holiday_calendar(session).is_holiday(date(2025, 10, 10))
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "holiday.add")).one()
        assert (entry.actor, entry.actor_kind) == ("admin", "user")
    removed = b.post("/admin/holidays", day="2025-03-01", action="remove")
    assert "2025-03-01: 공휴일에서 제외했습니다" in removed.text
    assert "<td>2025-03-01</td>" not in removed.text  # gone from the year's list
    assert overrides(engine)[date(2025, 3, 1)] == ("remove", "")
    again = b.post("/admin/holidays", day="2025-10-10", action="remove")
    assert "<td>2025-10-10</td>" not in again.text
    assert overrides(engine)[date(2025, 10, 10)] == ("remove", "")


def test_a_holiday_without_a_name_or_with_a_too_long_one_is_refused(
    browser: Any, engine: Engine
) -> None:
    b = browser()
    b.login("admin")
    empty = b.post("/admin/holidays", day="2025-10-10", name="  ", action="add")
    assert empty.status_code == 400 and "비어 있을 수 없습니다" in empty.text
    assert 'value="2025-10-10"' in empty.text  # the typed date is kept
    long = b.post("/admin/holidays", day="2025-10-10", name="휴" * 300, action="add")
    assert long.status_code == 400 and "자 이하여야 합니다" in long.text
    bad_day = b.post("/admin/holidays", day="10월 언젠가", name="임시공휴일", action="add")
    assert bad_day.status_code == 400
    assert overrides(engine) == {}


def test_a_truncated_withholding_table_is_refused_and_changes_nothing(
    browser: Any, engine: Engine
) -> None:
    b = browser()
    b.login("admin")
    truncated = "\n".join(OFFICIAL.splitlines()[:200]) + "\n"
    page = send_table(b, "간이세액표.csv", truncated)
    assert page.status_code == 400 and 'id="withholding-message"' in page.text
    assert "간이세액표.csv" in page.text and "payroll-withholding-" not in page.text
    with transaction(engine) as session:
        assert session.scalars(select(WithholdingTableRow)).first() is None
        assert withholding_table(session).source.endswith("withholding_table_official.csv")
    odd = send_table(b, "table.exe", OFFICIAL)
    assert odd.status_code == 400 and ".csv 또는 .xlsx 파일만" in odd.text


def test_a_complete_withholding_table_becomes_the_one_in_force(
    browser: Any, engine: Engine
) -> None:
    b = browser()
    b.login("admin")
    page = send_table(b, "nts-2026.csv", OFFICIAL)
    assert page.url.path == "/admin/catalog" and "간이세액표 nts-2026.csv" in page.text
    with transaction(engine) as session:
        table = withholding_table(session)
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "withholding.imported")
        ).one()
    assert table.source == "nts-2026.csv" and entry.actor == "admin"
    assert len(table.rows) == len([r for r in OFFICIAL.splitlines() if not r.startswith("#")])


@pytest.mark.parametrize("who", ["clerk", "manager", "finance"])
def test_other_roles_may_not_change_holidays_or_the_table(
    browser: Any, engine: Engine, who: str
) -> None:
    b = browser()
    b.login(who)
    refused = b.post("/admin/holidays", day="2025-10-10", name="임시공휴일", action="add")
    assert refused.status_code == 403
    assert send_table(b, "t.csv", OFFICIAL).status_code == 403
    assert overrides(engine) == {}
    with transaction(engine) as session:
        assert session.scalars(select(WithholdingTableRow)).first() is None


def test_admin_forms_need_the_csrf_token(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("admin")
    form = {"day": "2025-10-10", "name": "임시공휴일", "action": "add"}
    assert b.client.post("/admin/holidays", data=form).status_code == 403
    files = {"file": ("t.csv", OFFICIAL.encode(), "text/csv")}
    assert b.client.post("/admin/withholding", files=files).status_code == 403
    assert b.client.post("/admin/holidays", data={**form, "csrftoken": "forged"}).status_code == 403
    assert overrides(engine) == {}

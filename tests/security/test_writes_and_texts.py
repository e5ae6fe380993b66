"""Writes only by POST, free text capped, one refusal for IDs one may not see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog
from payroll.db.uow import SqlUnitOfWork
from payroll.services.common.access import Actor, Role
from payroll.services.common.free_text import TextTooLong
from payroll.services.console import runs as console_runs
from payroll.services.runs.lifecycle import calculate_runs
from tests.e2e.web.conftest import OTHER, OWN
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures("users")
BIG = "가" * (900_000 // 3)  # some 900 KB of UTF-8


def _audit_count(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def test_cross_site_get_to_a_filing_writes_nothing(
    browser: Any, engine: Engine, tmp_path: Path
) -> None:
    b = browser()
    b.login("finance")
    before = _audit_count(engine)
    page = b.get("/filings/withholding?month=2025-03")  # what a link on another site does
    assert page.status_code == 405
    assert _audit_count(engine) == before
    assert not list((tmp_path / "out").rglob("*.xlsx"))  # the console's output folder


def test_a_huge_cancel_reason_is_refused_and_nothing_stored(engine: Engine) -> None:
    add_enrolled(engine, "J-001")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    manager = Actor("manager", Role.MANAGER, frozenset({OWN}))
    before = _audit_count(engine)
    with pytest.raises(TextTooLong, match="500자까지"):
        console_runs.cancel(SqlUnitOfWork(engine), manager, run.id, BIG)
    assert _audit_count(engine) == before
    with pytest.raises(TextTooLong):
        console_runs.cancel(SqlUnitOfWork(engine), manager, run.id, "x" * 501)


def test_a_huge_early_end_note_is_refused(browser: Any, engine: Engine) -> None:
    add_enrolled(engine, "J-001")
    b = browser()
    b.login("clerk")
    before = _audit_count(engine)
    page = b.post("/participants/J-001/end", on="2025-04-18", reason="employed", note="메" * 600)
    assert page.status_code == 409 and "500자까지" in page.text
    assert _audit_count(engine) == before


def test_another_districts_id_and_an_unknown_id_get_the_same_refusal(
    browser: Any, engine: Engine
) -> None:
    add_enrolled(engine, "C-001", district=OTHER)
    b = browser()
    b.login("clerk")
    answers = []
    for pid in ("C-001", "X-404"):
        csv = f"participant_id,date,status\n{pid},2025-03-12,absent\n".encode()
        page = b.client.post(
            "/uploads/attendance",
            data={"csrftoken": b.token()},
            files={"file": ("a.csv", csv, "text/csv")},
        )
        answers.append(page.text.replace(pid, "<ID>"))
    assert "참여자를 찾을 수 없습니다" in answers[0]
    assert answers[0] == answers[1]


def test_file_downloads_refuse_requests_another_site_makes(browser: Any, engine: Engine) -> None:
    add_enrolled(engine, "J-001")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    b = browser()
    b.login("manager")
    before = _audit_count(engine)
    foreign = {"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate"}
    for url in (f"/runs/{run.id}/review.xlsx", f"/runs/{run.id}/payslips.zip"):
        assert b.get(url, headers=foreign).status_code == 403
    assert _audit_count(engine) == before
    own = {"sec-fetch-site": "same-origin"}
    assert b.get(f"/runs/{run.id}/review.xlsx", headers=own).status_code == 200
    assert b.get(f"/runs/{run.id}", headers=foreign).status_code == 200  # pages stay linkable

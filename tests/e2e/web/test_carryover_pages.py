"""The run page's holds, payees and returned transfers, and the audit page, over HTTP:
the allowed role acts, a role without the right gets 403, another district 404."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from payroll.db.engine import transaction
from payroll.db.models import Participant, PayrollRun
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import (
    approve_run,
    calculate_runs,
    exclude_participant,
    finalize_run,
)
from tests.e2e.web.conftest import OTHER, OWN
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures("users")


@pytest.fixture
def runs(engine: Engine) -> dict[str, int]:
    """July runs: 종로구 pays J-001 and holds J-002 (no account); 중구 pays C-001."""
    for pid, district in (("J-001", OWN), ("J-002", OWN), ("C-001", OTHER)):
        add_enrolled(engine, pid, district=district, term="2025-H2", start=_d(7, 1), end=_d(12, 20))
    with transaction(engine) as session:
        session.execute(
            update(Participant).where(Participant.participant_id == "J-002").values(account=None)
        )
    calculate_runs(SqlUnitOfWork(engine), "2025-07", actor="clerk")
    with transaction(engine) as session:
        return {
            "own" if r.district_code == OWN else "other": r.id
            for r in session.scalars(select(PayrollRun))
        }


def _d(month: int, day: int) -> Any:
    from datetime import date

    return date(2025, month, day)


def test_a_hold_is_kept_on_the_run_page_and_released_by_a_manager(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    own = runs["own"]
    clerk = browser()
    clerk.login("clerk")
    held = clerk.post(f"/runs/{own}/exclude", participant_id="J-002", reason="계좌 미제출")
    assert "지급 보류했습니다" in held.text
    page = clerk.get(f"/runs/{own}").text
    assert 'id="held"' in page and "지급 보류 1건" in page and "계좌 미제출" in page
    assert 'id="payees"' in page and "123456789012" in page  # J-001's account, for review
    approve_run(SqlUnitOfWork(engine), str(own), "팀장A")
    finalize_run(SqlUnitOfWork(engine), str(own), "팀장B")

    assert clerk.post(f"/runs/{own}/release", participant_id="J-002").status_code == 403
    other = browser()
    other.login("clerk2")
    assert other.get(f"/runs/{own}").status_code == 404
    manager = browser()
    manager.login("manager")
    assert 'id="release-J-002"' in manager.get(f"/runs/{own}").text
    done = manager.post(f"/runs/{own}/release", participant_id="J-002")
    assert "보류분" in done.text and "해제" in done.text
    assert "해제됨: 다음 급여에서 지급" in manager.get(f"/runs/{own}").text

    # A transfer the bank returned, recorded on the finalized run's page.
    back = clerk.post(f"/runs/{own}/returned", participant_id="J-001", reason="해지된 계좌")
    assert "이체 반환" in back.text and 'id="returned"' in back.text


def test_the_audit_page_is_scoped_to_the_managers_districts(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    exclude_participant(SqlUnitOfWork(engine), str(runs["own"]), "J-002", "계좌 미제출", "clerk")
    for run_id in runs.values():
        approve_run(SqlUnitOfWork(engine), str(run_id), "팀장A")
    manager = browser()
    manager.login("manager")
    mine = manager.get("/audit").text
    assert f"급여 실행 {runs['own']}" in mine and f"급여 실행 {runs['other']}" not in mine
    assert manager.get(f"/audit?run={runs['other']}").status_code == 404
    finance = browser()
    finance.login("finance")
    every = finance.get("/audit?actor=팀장A").text
    assert f"급여 실행 {runs['own']}" in every and f"급여 실행 {runs['other']}" in every
    assert "급여 계산" not in every  # only 팀장A's entries
    assert "없는 날짜" in finance.get("/audit?since=2025-13-01").text
    clerk = browser()
    clerk.login("clerk")
    assert clerk.get("/audit").status_code == 403


def test_a_correction_upload_previews_the_carried_over_amounts_before_saving(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    own = runs["own"]
    exclude_participant(SqlUnitOfWork(engine), str(own), "J-002", "계좌 미제출", "clerk")
    approve_run(SqlUnitOfWork(engine), str(own), "팀장A")
    finalize_run(SqlUnitOfWork(engine), str(own), "팀장B")
    clerk = browser()
    clerk.login("clerk")
    csv = b"participant_id,date,status,hours\nJ-001,2025-07-14,absent,\n"
    # As a plain attendance upload: refused in Korean, pointing to the correction upload.
    plain = clerk.client.post(
        "/uploads/attendance",
        data={"csrftoken": clerk.token()},
        files={"file": ("july.csv", csv, "text/csv")},
    )
    assert plain.status_code == 422 and "확정된 달 근태 정정" in plain.text
    preview = clerk.client.post(
        "/uploads/correction",
        data={"csrftoken": clerk.token()},
        files={"file": ("july.csv", csv, "text/csv")},
    )
    assert preview.status_code == 200 and 'id="correction-preview"' in preview.text
    # Monday 14 July absent (§4, §7, §5, §16), 2025 minimum wage 10,030 won:
    #   base pay   −6 h × 10,030 = −60,180; that week's weekly allowance lost −60,180
    #   taxable −120,360; meal allowance −6,000 (non-taxable); carried over −126,360 (환수)
    assert "-120,360" in preview.text and "-6,000" in preview.text
    assert "-126,360원 (환수)" in preview.text
    calculate_runs(SqlUnitOfWork(engine), "2025-08", actor="clerk")
    assert _retro(engine) == []  # the preview saved nothing
    payload = preview.text.split('name="payload" value="')[1].split('"')[0]
    saved = clerk.post("/uploads/correction", filename="july.csv", payload=payload)
    assert "근태 정정 1행" in saved.text
    calculate_runs(SqlUnitOfWork(engine), "2025-08", actor="clerk")
    assert sorted(_retro(engine)) == [
        ("retro_adjustment", -120_360, "2025-07"),
        ("retro_expense_allowance", -6_000, "2025-07"),
    ]


def _retro(engine: Engine) -> list[tuple[str, int, str | None]]:
    from payroll.db.models import PayslipLineRow, PayslipRow

    with transaction(engine) as session:
        rows = session.execute(
            select(PayslipLineRow.code, PayslipLineRow.amount, PayslipLineRow.ref_month)
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .where(PayslipRow.month == "2025-08", PayslipLineRow.code.like("retro%"))
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]

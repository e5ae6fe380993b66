"""Monthly runs end to end: attendance import → calculate → approve → finalize → correction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from payroll.db.catalog_store import holiday_calendar, read_catalog, withholding_table
from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, AuditLog, PayrollRun, PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import AttendanceRecord, Enrollment, Status
from payroll.formats.tabular import ImportRejected
from payroll.services.imports.attendance import import_attendance
from payroll.services.runs.files import write_run_files
from payroll.services.runs.lifecycle import (
    RunError,
    approve_run,
    calculate_runs,
    exclude_participant,
    finalize_run,
)
from tests.support.factories import add_enrolled


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def stored(engine: Engine, month: str) -> list[tuple]:
    """Every stored payslip figure and line of a month, independent of row ids."""
    with transaction(engine) as session:
        slips = session.execute(
            select(
                PayslipRow.enrollment_id,
                PayslipRow.gross,
                PayslipRow.total_deductions,
                PayslipRow.net,
                PayslipRow.employer_total,
                PayslipRow.leave_balance,
            )
            .where(PayslipRow.month == month)
            .order_by(PayslipRow.enrollment_id)
        ).all()
        lines = session.execute(
            select(
                PayslipRow.enrollment_id,
                PayslipLineRow.kind,
                PayslipLineRow.position,
                PayslipLineRow.code,
                PayslipLineRow.amount,
                PayslipLineRow.explanation,
            )
            .join(PayslipRow)
            .where(PayslipRow.month == month)
            .order_by(PayslipRow.enrollment_id, PayslipLineRow.kind, PayslipLineRow.position)
        ).all()
    return [tuple(s) for s in slips] + [tuple(line) for line in lines]


def engine_gross(engine: Engine, month: str, records: list[AttendanceRecord]) -> int:
    """The pay engine's own figure for the §12 participant, computed independently."""
    with transaction(engine) as session:
        catalog = read_catalog(session)
        calendar = holiday_calendar(session)
        table = withholding_table(session)
    enrollment = Enrollment(
        "P-1", "dongheng", date(2025, 1, 10), date(2025, 6, 30), date(1970, 5, 1)
    )
    return calculate_month(
        PayContext(enrollment, records, month, catalog.rate_book, calendar, table)
    ).gross


def test_import_calculate_approve_finalize_and_correct(engine: Engine, tmp_path: Path) -> None:
    add_enrolled(engine, "P-1")
    march = write_csv(
        tmp_path / "march.csv",
        [
            "참여자번호,일자,상태,시간",
            "P-1,2025-03-12,결근,",
            "P-1,2025-03-13,근무,4",
        ],
    )
    report = import_attendance(SqlUnitOfWork(engine), march, actor="kim")
    assert (report.added, report.unchanged) == (2, 0)
    again = import_attendance(SqlUnitOfWork(engine), march)
    assert again.unchanged == 2  # importing twice changes nothing

    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert (run.district, run.program, run.state, run.participants) == (
        "11110",
        "dongheng",
        "calculated",
        1,
    )
    records = [
        AttendanceRecord(date(2025, 3, 12), Status.ABSENT),
        AttendanceRecord(date(2025, 3, 13), Status.WORKED, Decimal(4)),
    ]
    # Same engine, same figures as `payroll calc`, to the won.
    assert run.gross == engine_gross(engine, "2025-03", records)
    before = stored(engine, "2025-03")
    calculate_runs(
        SqlUnitOfWork(engine), "2025-03"
    )  # recalculating replaces with identical results
    assert stored(engine, "2025-03") == before

    approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    final = finalize_run(SqlUnitOfWork(engine), "2025-03/종로구/dongheng", "park")
    assert final.state == "finalized"

    # Finalized means frozen: a later calculation leaves it as it is ...
    [again] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert again.note == "이미 확정됨; 바꾸지 않음" and stored(engine, "2025-03") == before
    # ... and the month's attendance can no longer be imported, only corrected.
    late = write_csv(
        tmp_path / "late.csv", ["participant_id,date,status,hours", "P-1,2025-03-12,worked,6"]
    )
    with pytest.raises(ImportRejected) as refused:
        import_attendance(SqlUnitOfWork(engine), late)
    assert "확정된 달입니다" in refused.value.errors[0].reason
    assert (tmp_path / "late.errors.csv").exists()
    import_attendance(SqlUnitOfWork(engine), late, correction=True)

    # April carries March's correction (§16): recalculated minus finalized, the meal
    # allowance of the day now worked (6,000) as the non-taxable retro_expense_allowance.
    calculate_runs(SqlUnitOfWork(engine), "2025-04")
    corrected = engine_gross(engine, "2025-03", records[1:])
    with transaction(engine) as session:
        retro, expense = session.execute(
            select(PayslipLineRow.amount, PayslipLineRow.explanation, PayslipLineRow.ref_month)
            .join(PayslipRow)
            .where(PayslipRow.month == "2025-04", PayslipLineRow.code.like("retro_%"))
            .order_by(PayslipLineRow.position)
        ).all()
    assert retro.amount + expense.amount == corrected - final.gross > 0
    assert expense.amount == 6_000
    assert retro.ref_month == expense.ref_month == "2025-03" and "2025-03" in retro.explanation

    files = write_run_files(SqlUnitOfWork(engine), str(final.id), tmp_path / "out")
    assert files.payment.read_text("utf-8-sig").splitlines()[1].endswith(f",{final.net}")
    with transaction(engine) as session:
        actions = set(session.scalars(select(AuditLog.action)))
    assert {"attendance.imported", "run.calculated", "run.approved", "run.finalized"} <= actions


def test_database_refuses_to_change_a_finalized_payslip(engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "park")
    for statement in (
        "UPDATE payslips SET net = net + 1000",
        "DELETE FROM payslip_lines",
        "UPDATE payroll_runs SET state = 'calculated'",
        f"INSERT INTO attendance (enrollment_id, day, status, recorded_at) "
        f"VALUES ({_enrollment_id(engine)}, '2025-03-14', 'absent', CURRENT_TIMESTAMP)",
    ):
        with pytest.raises(DBAPIError, match="never change"), engine.begin() as conn:
            conn.execute(text(statement))
    with transaction(engine) as session:
        assert session.scalar(select(PayrollRun.state)) == "finalized"


def _enrollment_id(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(PayslipRow.enrollment_id))  # type: ignore[return-value]


def test_exceptions_block_approval_until_excluded(engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    bad = add_enrolled(engine, "P-2", name="이서준")
    with transaction(engine) as session:  # bypassing the import: a 2nd leave day on 6 March,
        for day in (5, 6):  # when only one day (10 Feb) has accrued (§8)
            session.add(
                AttendanceRow(
                    enrollment_id=bad,
                    day=date(2025, 3, day),
                    status="annual_leave",
                    recorded_at=datetime.now(UTC),
                )
            )
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert (run.participants, run.exceptions) == (1, 1)
    with pytest.raises(RunError, match="처리되지 않은 예외 1건이 있습니다"):
        approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    exclude_participant(
        SqlUnitOfWork(engine), str(run.id), "P-2", "leave record under review", "lee"
    )
    calculate_runs(SqlUnitOfWork(engine), "2025-03")  # the exclusion survives a recalculation
    assert approve_run(SqlUnitOfWork(engine), str(run.id), "lee").state == "approved"


def test_a_month_pays_an_enrollment_once(engine: Engine) -> None:
    enrollment = add_enrolled(engine, "P-1")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO payslips (run_id, enrollment_id, month, gross, insurable, taxable, "
                "non_taxable, total_deductions, net, employer_total, hourly_rate, leave_accrued, "
                f"leave_used, leave_balance, facts) VALUES ({run.id}, {enrollment}, '2025-03', 1, "
                "1, 1, 0, 0, 1, 0, 1, 0, 0, 0, '{}')"
            )
        )
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(PayslipRow)) == 1


def test_run_state_refusals_are_korean_through_the_cli(
    engine: Engine, cli_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from payroll.cli import common
    from payroll.cli.main import app

    monkeypatch.setattr(common.err_console, "_width", 400)
    monkeypatch.setattr(common.console, "_width", 250)

    def payroll(*args: str | Path, code: int = 0) -> str:
        result = CliRunner().invoke(app, [str(a) for a in args])
        assert result.exit_code == code, result.output
        return result.output

    add_enrolled(engine, "P-1")
    payroll("run", "calculate", "--month", "2025-03", "--by", "kim")
    early = payroll("run", "finalize", "1", "--by", "lee", code=1)
    assert "급여 실행 1 (2025-03 11110 dongheng)은(는) 확정할 수 없습니다" in early
    assert "지금 계산됨 상태입니다 (승인됨 상태에서만 확정)" in early
    payroll("run", "approve", "1", "--by", "lee")
    again = payroll("run", "approve", "1", "--by", "park", code=1)
    assert "승인할 수 없습니다: 지금 승인됨 상태입니다" in again
    missing = payroll("run", "exclude", "1", "P-1", "--reason", "검토", "--by", "kim", code=1)
    assert "참여자 제외할 수 없습니다: 지금 승인됨 상태입니다" in missing
    payroll("run", "finalize", "1", "--by", "park", "--out", tmp_path / "out")
    frozen = payroll("run", "cancel", "1", "--by", "park", "--reason", "잘못", code=1)
    assert "급여 실행 1은(는) 확정되었으므로 바뀌지 않습니다" in frozen
    assert "이미 확정됨; 바꾸지 않음" in payroll("run", "calculate", "--month", "2025-03")


def test_excluding_someone_not_on_the_exception_list_names_them(engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    with pytest.raises(RunError, match="참여자 P-9은\\(는\\) 급여 실행 1의 예외 목록에 없습니다"):
        exclude_participant(SqlUnitOfWork(engine), str(run.id), "P-9", "검토", "kim")

"""Attack: change a finalized run through SQL, on SQLite and PostgreSQL.

Every statement below is what a direct SQL session could try after March 2025 of 종로구's
동행일자리 run is finalized (P-1 and P-2 paid); the database itself must refuse it, on the
old and the new values of the row."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from payroll.db.engine import transaction
from payroll.db.models import (
    AttendanceRow,
    FinalizedPayee,
    PayrollRun,
    PayslipRow,
    RunException,
)
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.files import write_run_files
from payroll.services.runs.lifecycle import approve_run, calculate_runs, exclude_participant
from tests.support.attack import cli, finalize_month
from tests.support.factories import add_enrolled

FROZEN = "never change|TRUNCATE refused|finalized only from approved"


def refused(engine: Engine, *statements: str) -> None:
    for statement in statements:
        with pytest.raises(DBAPIError, match=FROZEN), engine.begin() as conn:
            conn.execute(text(statement))
            print("not refused:", statement)


@pytest.fixture
def month(engine: Engine) -> dict[str, int]:
    """March finalized for 종로구 (P-1, P-2); 중구 (P-3) calculated but not finalized."""
    ids = {
        "p1": add_enrolled(engine, "P-1"),
        "p2": add_enrolled(engine, "P-2", name="이서준"),
    }
    [final] = finalize_month(engine)
    ids["p3"] = add_enrolled(engine, "P-3", name="박하늘", district="11140")
    [other] = calculate_runs(SqlUnitOfWork(engine), "2025-03", district="11140")
    ids["final"], ids["other"] = final, other.id
    with transaction(engine) as session:
        ids["slip_final"] = session.scalar(
            select(PayslipRow.id).where(PayslipRow.run_id == final).limit(1)
        )
        ids["slip_other"] = session.scalar(
            select(PayslipRow.id).where(PayslipRow.run_id == other.id)
        )
        session.add(RunException(run_id=other.id, enrollment_id=ids["p3"], reason="검토"))
        session.add(
            AttendanceRow(
                enrollment_id=ids["p1"],
                day=date(2025, 4, 14),
                status="absent",
                recorded_at=datetime.now(UTC),
            )
        )
    return ids


def test_nothing_moves_into_a_finalized_run(engine: Engine, month: dict[str, int]) -> None:
    refused(
        engine,
        f"UPDATE payslips SET run_id = {month['final']} WHERE run_id = {month['other']}",
        f"UPDATE payslip_lines SET payslip_id = {month['slip_final']} "
        f"WHERE payslip_id = {month['slip_other']}",
        f"UPDATE run_exceptions SET run_id = {month['final']}",
        "UPDATE attendance SET day = '2025-03-14' WHERE day = '2025-04-14'",
        f"UPDATE attendance SET enrollment_id = {month['p2']}, day = '2025-03-20'",
    )
    with transaction(engine) as session:
        assert session.get(PayrollRun, month["final"]).participant_count == 2  # type: ignore[union-attr]
        slips = session.scalars(
            select(PayslipRow.run_id).where(PayslipRow.run_id == month["final"])
        )
        assert len(list(slips)) == 2


def test_who_and_where_of_a_finalized_month_stay(engine: Engine, month: dict[str, int]) -> None:
    refused(
        engine,
        "UPDATE participants SET district_code = '11140' WHERE participant_id = 'P-1'",
        "UPDATE participants SET birth_date = '1990-01-01' WHERE participant_id = 'P-1'",
        f"UPDATE enrollments SET \"end\" = '2025-03-15' WHERE id = {month['p1']}",
        f"UPDATE enrollments SET start = '2025-03-20' WHERE id = {month['p1']}",
        f"UPDATE enrollments SET program_code = 'maeryeok' WHERE id = {month['p1']}",
        f"UPDATE enrollments SET daily_hours = 3 WHERE id = {month['p1']}",
        f"DELETE FROM enrollments WHERE id = {month['p2']}",
        # moving 중구's P-3 into 종로구 would put them under 종로구's finalized March
        "UPDATE participants SET district_code = '11110' WHERE participant_id = 'P-3'",
    )
    with engine.begin() as conn:  # what does not touch March stays possible
        conn.execute(
            text(f"UPDATE enrollments SET \"end\" = '2025-05-31' WHERE id = {month['p1']}")
        )
        conn.execute(
            text("UPDATE participants SET account = '999-99' WHERE participant_id = 'P-1'")
        )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # PRAGMA is SQLite's
def test_sqlite_with_foreign_keys_off_cannot_delete_a_paid_enrollment(
    engine: Engine, month: dict[str, int]
) -> None:
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for statement in (
            f"DELETE FROM enrollments WHERE id = {month['p2']}",
            "DELETE FROM participants WHERE participant_id = 'P-2'",
        ):
            with pytest.raises(DBAPIError, match=FROZEN):
                conn.execute(text(statement))
            conn.rollback()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # TRUNCATE: PostgreSQL's
def test_truncate_is_refused_on_postgresql(engine: Engine, month: dict[str, int]) -> None:
    refused(
        engine,
        *(
            f"TRUNCATE {t} CASCADE"
            for t in ("payroll_runs", "payslips", "payslip_lines", "attendance", "participants")
        ),
        "TRUNCATE finalized_payees",
    )


def test_a_run_is_finalized_only_with_its_snapshot(engine: Engine, month: dict[str, int]) -> None:
    exclude_participant(SqlUnitOfWork(engine), str(month["other"]), "P-3", "검토 중", "이팀장")
    approve_run(SqlUnitOfWork(engine), str(month["other"]), "이팀장")
    refused(
        engine,
        f"UPDATE payroll_runs SET state = 'finalized' WHERE id = {month['other']}",
        "INSERT INTO payroll_runs (month, district_code, program_code, state, participant_count,"
        " exception_count, gross, total_deductions, net, employer_total)"
        " VALUES ('2025-04', '11110', 'dongheng', 'finalized', 0, 0, 0, 0, 0, 0)",
        f"UPDATE finalized_payees SET account = '1' WHERE run_id = {month['final']}",
        f"DELETE FROM finalized_payees WHERE run_id = {month['final']}",
        f"INSERT INTO finalized_payees (run_id, payslip_id, participant_id, name, birth_date, net)"
        f" VALUES ({month['final']}, {month['slip_other']}, 'X', 'X', '1970-01-01', 1)",
    )


def test_payment_file_pays_the_details_of_finalization(
    engine: Engine, month: dict[str, int], tmp_path: Path
) -> None:
    with engine.begin() as conn:
        account = conn.execute(
            text("SELECT account FROM participants WHERE participant_id = 'P-1'")
        ).scalar_one()
    with engine.begin() as conn:  # a roster update after finalization
        conn.execute(
            text(
                "UPDATE participants SET name = '공격자', account = '000-00-000' "
                "WHERE participant_id = 'P-1'"
            )
        )
    files = write_run_files(SqlUnitOfWork(engine), str(month["final"]), tmp_path)
    rows = list(csv.DictReader(files.payment.open(encoding="utf-8-sig")))
    assert len(rows) == 2 and files.participants == 2
    p1 = next(r for r in rows if r["참여자번호"] == "P-1")
    assert (p1["성명"], p1["계좌번호"]) == ("김민지", account)
    assert account != "000-00-000"


def test_run_files_refuse_a_snapshot_that_differs_from_the_run(
    engine: Engine, month: dict[str, int], backend: str, tmp_path: Path, cli_env: str
) -> None:
    # An owner who drops a trigger can still change the snapshot: the files refuse it.
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TRIGGER finalized_payees_frozen_delete"
                + (" ON finalized_payees" if backend == "postgresql" else "")
            )
        )
        conn.execute(text(f"DELETE FROM finalized_payees WHERE payslip_id = {month['slip_final']}"))
    result = cli("run", "files", str(month["final"]), "--out", tmp_path)
    assert result.exit_code != 0
    assert "지급 대상 1명, 명세서 2건, 확정 시 인원 2명" in result.output
    assert not (tmp_path / "2025-03").exists()
    with transaction(engine) as session:
        assert len(list(session.scalars(select(FinalizedPayee)))) == 1


def test_reconcile_names_a_snapshot_that_differs(
    engine: Engine, month: dict[str, int], backend: str, cli_env: str
) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TRIGGER finalized_payees_frozen_update"
                + (" ON finalized_payees" if backend == "postgresql" else "")
            )
        )
        conn.execute(
            text(f"UPDATE finalized_payees SET net = net + 1000 WHERE run_id = {month['final']}")
        )
    from payroll.services.ledger.reconcile import reconcile_month

    report = reconcile_month(SqlUnitOfWork(engine), "2025-03")
    assert not report.ok
    [diff] = [d for d in report.differences if "스냅숏" in d.item]
    assert (diff.item, diff.won) == ("지급 파일 합계(스냅숏) vs 급여 실행 실지급액", 2000)


def test_runs_finalized_before_0005_get_their_snapshot_on_upgrade(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    from payroll.db import migrate

    before = ScriptDirectory.from_config(migrate.alembic_config(db_url)).get_revision("0005")
    # calculated at head (the ORM maps columns later migrations add), then taken back to
    # the schema before 0005 with the run in it
    add_enrolled(engine, "P-1")
    add_enrolled(engine, "P-2", name="이서준")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    engine.dispose()
    migrate.downgrade(db_url, str(before.down_revision))  # the schema before 0005
    with engine.begin() as conn:  # finalized the way 0004 allowed
        conn.execute(text(f"UPDATE payroll_runs SET state = 'finalized' WHERE id = {run.id}"))
    migrate.upgrade(db_url)
    files = write_run_files(SqlUnitOfWork(engine), str(run.id), tmp_path)
    assert (files.participants, files.net_total) == (2, run.net)
    refused(engine, f"DELETE FROM finalized_payees WHERE run_id = {run.id}")


def test_payslips_of_a_finalized_run_name_the_payee_of_finalization(
    engine: Engine, month: dict[str, int], cli_env: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    with engine.begin() as conn:
        conn.execute(text("UPDATE participants SET name = '공격자' WHERE participant_id = 'P-1'"))
    result = cli("payslips", "--month", "2025-03", "--district", "11110", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    text_ = (
        PdfReader(tmp_path / "2025-03" / "11110" / "dongheng" / "P-1.pdf").pages[0].extract_text()
    )
    assert "김민지" in text_ and "공격자" not in text_

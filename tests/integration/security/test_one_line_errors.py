"""Attack: input that used to end in a traceback or pay differently per database: hours
NaN or with three decimals, Rich markup in cells and names, year 9999, over-long ``--by``
and holiday names, an empty holiday name, a "past" enrollment that has not ended."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, HolidayOverride
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.hours import parse_hours
from payroll.formats.tabular import ImportRejected
from payroll.services.imports.history import import_history
from tests.support.attack import cli, ok, write
from tests.support.factories import add_enrolled

HEADER = "participant_id,date,status,hours"


def one_line_error(result: object, code: int = 1) -> str:
    out = result.output  # type: ignore[attr-defined]
    assert result.exit_code == code, out  # type: ignore[attr-defined]
    assert "Traceback" not in out and "오류:" in out
    return out


@pytest.mark.parametrize("text", ["NaN", "sNaN", "-Infinity", "Infinity", "5.555", "1e3", "-1"])
def test_hours_that_no_column_holds_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)


def test_hours_are_stored_the_same_on_both_databases(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    bad = write(
        tmp_path / "bad.csv",
        HEADER,
        "P-1,2025-03-12,worked,5.555",
        "P-1,2025-03-13,worked,NaN",
        "P-1,2025-03-14,worked,sNaN",
    )
    one_line_error(cli("import", "attendance", bad))
    rows = list(csv.DictReader((tmp_path / "bad.errors.csv").open(encoding="utf-8-sig")))
    assert [r["column"] for r in rows] == ["hours", "hours", "hours"]
    assert "소수점 아래 2자리" in rows[0]["reason"]
    good = write(tmp_path / "good.csv", HEADER, "P-1,2025-03-12,worked,5.55")
    ok("import", "attendance", good)
    with transaction(engine) as session:
        assert session.scalar(select(AttendanceRow.hours)) == Decimal("5.55")


def test_a_rule_on_hours_names_the_hours_column(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    bad = write(tmp_path / "bad.csv", HEADER, "P-1,2025-03-12,worked,25")
    one_line_error(cli("import", "attendance", bad))
    [row] = list(csv.DictReader((tmp_path / "bad.errors.csv").open(encoding="utf-8-sig")))
    assert row["column"] == "hours"


def test_rich_markup_in_cells_and_names_prints_as_text(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    bad = write(tmp_path / "bad.csv", HEADER, "P-1,2025-03-12,[/],", "P-1,2025-03-13,[bold]x,")
    out = one_line_error(cli("import", "attendance", bad))
    assert "[/]" in out and "[bold]x" in out
    ok("holiday", "add", "2025-05-02", "[/]임시[red]공휴일", "--by", "김담당")
    assert "[/]임시[red]공휴일" in ok("holiday", "list", "2025")


def test_a_calc_case_in_year_9999_is_a_one_line_error(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "program": "dongheng",
                "birth_date": "1970-05-01",
                "start": "9999-01-10",
                "end": "9999-12-31",
            }
        ),
        encoding="utf-8",
    )
    out = one_line_error(cli("calc", case), code=2)
    assert "9999" in out and len(out.strip().splitlines()) <= 2


def test_an_over_long_by_or_holiday_name_is_refused_on_both_databases(
    engine: Engine, cli_env: str
) -> None:
    add_enrolled(engine, "P-1")
    ok("run", "calculate", "--month", "2025-03")
    out = one_line_error(cli("run", "approve", "1", "--by", "김" * 101))
    assert "100자 이하" in out
    assert "approved" not in ok("run", "list")
    out = one_line_error(cli("holiday", "add", "2025-05-02", "휴" * 101, "--by", "김담당"))
    assert "100자 이하" in out
    one_line_error(cli("holiday", "add", "2025-05-02", "  ", "--by", "김담당"))
    with transaction(engine) as session:
        assert session.scalars(select(HolidayOverride)).all() == []


def test_history_refuses_a_past_enrollment_that_has_not_ended(
    engine: Engine, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1", start=date(2026, 1, 10), end=date(2026, 6, 30), term=None)
    history = write(
        tmp_path / "past.csv",
        "participant_id,program,start,end",
        "P-1,dongheng,2025-01-02,2025-06-30",
        "P-1,maeryeok,2027-01-02,2027-06-30",
    )
    with pytest.raises(ImportRejected) as refused:
        import_history(SqlUnitOfWork(engine), history, "김담당", today=date(2025, 12, 1))
    [error] = refused.value.errors
    assert (error.row, error.column) == (3, "end") and "오늘(2025-12-01) 이후" in error.reason


def test_intended_colours_stay_colours_not_text(engine: Engine, cli_env: str) -> None:
    # Table cells are data (markup escaped); the program's own status words are styled text.
    from tests.support.attack import finalize_month

    add_enrolled(engine, "P-1")
    finalize_month(engine)
    out = ok("reconcile", "--month", "2025-03")
    assert "OK" in out and "[green]" not in out and "[/]" not in out

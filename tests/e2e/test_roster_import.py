"""``payroll import participants`` / ``import history``: all or nothing, idempotent, Korean."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner, Result

from payroll.cli import common, roster
from payroll.db.engine import transaction
from payroll.db.models import AuditLog, EnrollmentRow, LimitRuleRow, Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.formats.tabular import ImportRejected, TableError, read_table
from payroll.services.enrollment.enroll import enroll as enroll_service
from payroll.services.imports.history import import_history
from payroll.services.imports.rosters import import_participants
from tests.support.numbers import csv_with_numbers

HEADER_EN = "participant_id,name,birth_date,district,household,rrn,bank,account,dependents," \
    "program,term,start,end,daily_hours,override"  # fmt: skip
HEADER_KO = "참여자번호,성명,생년월일,자치구,세대,주민등록번호,은행,계좌번호,부양가족수," \
    "사업명,기수,시작일,종료일,일근로시간,예외사유"  # fmt: skip


def rrn_for(front: str, gender: str = "2", serial: str = "12345") -> str:
    """A resident number with a valid check digit for birth date ``front`` (YYMMDD)."""
    digits = front + gender + serial
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 10
    return f"{front}-{gender}{serial}{check}"


RRN = rrn_for("700501")


@pytest.fixture
def cli(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.setattr(common.err_console, "_width", 400)
    app = typer.Typer()
    imports = typer.Typer()
    imports.command("participants")(roster.import_participants)
    imports.command("history")(roster.import_history)
    app.add_typer(imports, name="import")
    app.add_typer(roster.participant_app, name="participant")
    return app


def run(app: typer.Typer, *args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def write(path: Path, header: str, *rows: str, encoding: str = "utf-8") -> Path:
    header, rows = csv_with_numbers(header, *rows)  # an enrollment needs a resident number
    path.write_text("\n".join((header, *rows)) + "\n", encoding=encoding)
    return path


def counts(engine: Engine) -> tuple[int, ...]:
    with transaction(engine) as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Participant, EnrollmentRow, AuditLog)
        )


def roster_ko(tmp_path: Path) -> Path:
    return write(
        tmp_path / "명부.csv",
        HEADER_KO,
        f"P1,김영희,1970-05-01,종로구,H1,{RRN},국민은행,123456789012,2,서울 동행일자리,2025-H1,,,,",
        "P2,이철수,1990.03.03,11140,,,,,,매력일자리,2025,2025-04-01,2025-12-31,7,",
    )


def test_korean_headers_import_and_second_import_changes_nothing(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    path = roster_ko(tmp_path)
    first = run(cli, "import", "participants", path)
    assert first.exit_code == 0, first.output
    assert "참여자 2명 추가, 0명 변경, 참여 2건 추가, 변경 없음 0행" in first.output
    with transaction(engine) as s:
        p1 = s.scalars(select(Participant).where(Participant.participant_id == "P1")).one()
        assert (p1.name, p1.district_code, p1.household, p1.dependents) == (
            "김영희", "11110", "H1", 2)  # fmt: skip
        rows = {r.program_code: r for r in s.scalars(select(EnrollmentRow))}
    assert (rows["dongheng"].term_code, str(rows["dongheng"].start)) == ("2025-H1", "2025-01-10")
    assert str(rows["dongheng"].end) == "2025-06-30"  # the term's dates by default
    assert (str(rows["maeryeok"].start), str(rows["maeryeok"].daily_hours)) == (
        "2025-04-01", "7.00")  # fmt: skip
    before = counts(engine)

    again = run(cli, "import", "participants", path)

    assert again.exit_code == 0, again.output
    assert "참여자 0명 추가, 0명 변경, 참여 0건 추가, 변경 없음 2행" in (again.output)
    assert counts(engine) == before


def test_one_bad_row_writes_nothing_and_reports_every_error(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "roster.csv",
        HEADER_EN,
        "P1,Kim,1970-05-01,11110,,,,,,dongheng,2025-H1,,,,",
        "P2,Lee,1990-02-30,강남구,,,,,,dongheng,2025-H9,,,,",
        "P3,Park,1980-01-01,없는구,,,,,,dongheng,2025-H2,2025-06-01,,,",
    )
    before = counts(engine)

    result = run(cli, "import", "participants", path)

    assert result.exit_code == 1
    assert "오류:" in result.output and "아무것도 가져오지 않았습니다" in result.output
    assert counts(engine) == before
    with (tmp_path / "roster.errors.csv").open(encoding="utf-8-sig") as f:
        errors = list(csv.DictReader(f))
    assert list(errors[0]) == ["row", "column", "value", "reason"]
    found = {(e["row"], e["column"], e["value"]) for e in errors}
    assert ("3", "birth_date", "1990-02-30") in found
    assert ("3", "term", "2025-H9") in found
    assert ("4", "district", "없는구") in found
    assert ("4", "start", "2025-06-01") in found  # outside term 2025-H2
    assert all(e["row"] != "2" for e in errors)
    assert "2025-06-01" in result.output  # the Rich table on screen


def test_rows_of_one_file_count_against_each_other_and_history(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    ok = run(cli, "import", "participants", write(
        tmp_path / "p.csv", HEADER_EN, "P1,Kim,1970-05-01,11110,,,,,,,,,,,"))  # fmt: skip
    assert ok.exit_code == 0, ok.output
    history = write(
        tmp_path / "history.csv",
        "참여자번호,사업,시작일,종료일",
        "P1,동행일자리,2024-01-10,2024-06-28",
        "P1,dongheng,2024-07-01,2024-12-20",
    )
    assert run(cli, "import", "history", history).exit_code == 0
    before = counts(engine)
    path = write(
        tmp_path / "terms.csv",
        HEADER_EN,
        "P1,Kim,1970-05-01,11110,,,,,,dongheng,2025-H1,,,,",
        "P1,Kim,1970-05-01,11110,,,,,,dongheng,2025-H1,2025-03-01,,,",
        "P1,Kim,1970-05-01,11110,,,,,,dongheng,2025-H2,,,,",
    )

    result = run(cli, "import", "participants", path)

    assert result.exit_code == 1
    assert counts(engine) == before
    errors = list(csv.DictReader((tmp_path / "terms.errors.csv").open(encoding="utf-8-sig")))
    by_row = {e["row"]: e["reason"] for e in errors}
    assert set(by_row) == {"3", "4"}
    assert "no_overlap" in by_row["3"] and "row 2" in by_row["3"]
    assert "이미 dongheng 3기 연속 참여(2024-H1, 2024-H2, 2025-H1)" in by_row["4"]
    assert "row 2" in by_row["4"]


def test_override_column_needs_by_and_is_stored(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "young.csv",
        HEADER_EN,
        "Y1,Choi,2010-01-01,11110,,,,,,dongheng,2025-H1,,,,청소년 특례 (구청 승인)",
    )
    refused = run(cli, "import", "participants", path)
    assert refused.exit_code == 1
    assert "--by" in (tmp_path / "young.errors.csv").read_text("utf-8-sig")
    assert counts(engine)[:2] == (0, 0)

    done = run(cli, "import", "participants", path, "--by", "박주무관")

    assert done.exit_code == 0, done.output
    assert "override of age_band" in done.output
    assert not (tmp_path / "young.errors.csv").exists()  # the stale error file is removed
    shown = run(cli, "participant", "show", "Y1", "--json")
    report = json.loads(shown.output)
    override = report["enrollments"][0]["override"]
    assert (override["reason"], override["by"], override["rules"]) == (
        "청소년 특례 (구청 승인)", "박주무관", ["age_band"])  # fmt: skip
    with transaction(engine) as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "enrollment.add")).one()
    assert entry.detail["override_by"] == "박주무관"


def test_changed_details_update_the_participant_and_are_audited(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    path = roster_ko(tmp_path)
    assert run(cli, "import", "participants", path).exit_code == 0
    changed = write(
        tmp_path / "명부2.csv",
        HEADER_KO,
        f"P1,김영희,1970-05-01,종로구,H1,{RRN},신한은행,110-123-456789,3,서울 동행일자리,"
        "2025-H1,,,,",
    )

    result = run(cli, "import", "participants", changed)

    assert result.exit_code == 0, result.output
    assert "참여자 0명 추가, 1명 변경, 참여 0건 추가, 변경 없음 0행" in (result.output)
    with transaction(engine) as s:
        p1 = s.scalars(select(Participant).where(Participant.participant_id == "P1")).one()
        assert (p1.bank, p1.account, p1.dependents) == ("신한은행", "110123456789", 3)
        assert p1.rrn_masked == "700501-2******"  # an empty cell keeps the stored number
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "participant.update")).one()
    assert entry.detail["changes"]["bank"] == ["KB국민은행", "신한은행"]
    assert entry.detail["changes"]["account"] == "changed"

    # A participant ID is a district's own number: P1 of 11140 is another participant, and
    # 종로구's P1 stays as it is (#22).
    other = write(tmp_path / "m.csv", HEADER_EN, "P1,김영희,1970-05-01,11140,,,,,,,,,,,")
    assert run(cli, "import", "participants", other).exit_code == 0
    with transaction(engine) as s:
        held = s.execute(select(Participant.district_code, Participant.bank)
                         .where(Participant.participant_id == "P1")).all()  # fmt: skip
    assert sorted(held) == [("11110", "신한은행"), ("11140", None)]


def test_xlsx_roster_with_date_cells(cli: typer.Typer, engine: Engine, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["참여자번호", "이름", "생년월일", "구", "사업", "기수", "시작일", "종료일",
                  "주민등록번호"])  # fmt: skip
    sheet.append(["X1", "정수민", datetime(1988, 8, 8), "용산구", "dongheng", "2025-H2",
                  datetime(2025, 7, 1), datetime(2025, 10, 31), "880808-1000001"])  # fmt: skip
    sheet.append([])  # an empty row is skipped
    sheet.append([1002, "한지원", "1991-01-02", "11170", "", "", "", "", ""])
    path = tmp_path / "roster.xlsx"
    book.save(path)

    result = run(cli, "import", "participants", path)

    assert result.exit_code == 0, result.output
    assert "참여자 2명 추가, 0명 변경, 참여 1건 추가" in (result.output)
    with transaction(engine) as s:
        row = s.scalars(select(EnrollmentRow)).one()
        assert (str(row.start), str(row.end), row.term_code) == (
            "2025-07-01", "2025-10-31", "2025-H2")  # fmt: skip
        assert s.scalars(select(Participant).where(Participant.participant_id == "1002")).one()


def test_rrn_is_stored_encrypted_and_shown_masked(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    assert run(cli, "import", "participants", roster_ko(tmp_path)).exit_code == 0
    digits = RRN.replace("-", "")
    with transaction(engine) as s:
        p1 = s.scalars(select(Participant).where(Participant.participant_id == "P1")).one()
        raw = bytes(p1.rrn_encrypted or b"")
        assert raw and digits.encode() not in raw and RRN.encode() not in raw
        assert p1.rrn_masked == "700501-2******"
        audit_text = json.dumps([a.detail for a in s.scalars(select(AuditLog))])
    assert digits not in audit_text and RRN not in audit_text

    shown = run(cli, "participant", "show", "P1")
    assert shown.exit_code == 0, shown.output
    assert "700501-2******" in shown.output
    assert RRN not in shown.output

    wrong = write(tmp_path / "bad.csv", HEADER_EN,
                  f"P9,Kim,1971-05-01,11110,,{RRN},,,,,,,,,")  # fmt: skip
    assert run(cli, "import", "participants", wrong).exit_code == 1
    [error] = list(csv.DictReader((tmp_path / "bad.errors.csv").open(encoding="utf-8-sig")))
    assert error["column"] == "rrn" and "birth date" in error["reason"]


def test_cp949_csv_is_read(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "cp.csv", "참여자번호,성명", "A1,김영희", encoding="cp949")
    rows = read_table(path, {"참여자번호": "participant_id", "성명": "name"})
    assert rows == [{"participant_id": "A1", "name": "김영희"}]
    assert rows[0].number == 2
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x81\x00")
    with pytest.raises(TableError, match="bin.csv"):
        read_table(tmp_path / "bin.csv", {})


def test_history_import_terms_errors_and_idempotence(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    assert run(cli, "import", "participants", roster_ko(tmp_path)).exit_code == 0
    bad = write(
        tmp_path / "h.csv",
        "participant_id,program,start,end",
        "NOPE,dongheng,2023-01-02,2023-06-30",
        "P1,dongheng,2023-07-01,2023-03-01",
        "P1,maeryeok,2025-05-01,2025-05-31",  # overlaps P1's dongheng 2025-H1
    )
    before = counts(engine)
    assert run(cli, "import", "history", bad).exit_code == 1
    assert counts(engine) == before
    errors = list(csv.DictReader((tmp_path / "h.errors.csv").open(encoding="utf-8-sig")))
    assert [(e["row"], e["column"]) for e in errors] == [
        ("2", "participant_id"), ("3", "end"), ("4", "start")]  # fmt: skip
    clash = "#1 dongheng 2025-H1 2025-01-10..2025-06-30 (roster)와(과) 기간이 겹칩니다"
    assert clash in errors[2]["reason"]

    good = write(
        tmp_path / "h2.csv",
        "참여자번호,사업명,시작일,종료일",
        "P1,동행일자리,2023-07-03,2023-12-22",
        "P2,매력일자리,2022-07-01,2022-12-31",  # 6 + 9 months of 2025: within 18
    )
    first = run(cli, "import", "history", good)
    assert first.exit_code == 0, first.output
    assert "과거 참여 2건 추가, 변경 없음 0건" in first.output
    with transaction(engine) as s:
        rows = list(s.scalars(select(EnrollmentRow).where(EnrollmentRow.source == "history")))
    assert sorted(r.term_code or "" for r in rows) == ["2022-H2", "2023-H2"]
    after = counts(engine)
    again = run(cli, "import", "history", good)
    assert "과거 참여 0건 추가, 변경 없음 2건" in again.output
    assert counts(engine) == after


def test_history_imported_after_the_roster_cannot_break_a_stored_enrollment(
    engine: Engine, tmp_path: Path
) -> None:
    """§11: with 2024-H1, 2024-H2 and 2023-H2 behind it, the stored 2025-H1 enrollment
    would be a 4th consecutive dongheng term: the history file is refused, nothing written."""
    roster = tmp_path / "people.csv"
    roster.write_text(
        "participant_id,name,birth_date,district,rrn\nH-1,정하늘,1960-01-01,11110,600101-1000001\n",
        encoding="utf-8",
    )
    import_participants(SqlUnitOfWork(engine), roster, by="kim")
    enroll_service(SqlUnitOfWork(engine), "H-1", "dongheng", "2025-H1", actor="kim")
    history = tmp_path / "history.csv"
    history.write_text(
        "participant_id,program,start,end\n"
        "H-1,dongheng,2023-07-03,2023-12-20\n"
        "H-1,dongheng,2024-01-08,2024-06-28\n"
        "H-1,dongheng,2024-07-01,2024-12-20\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        import_history(SqlUnitOfWork(engine), history)
    [error] = refused.value.errors
    assert error.row == 2 and "max_consecutive_terms" in error.reason
    with transaction(engine) as session:
        sources = session.scalars(select(EnrollmentRow.source)).all()
    assert sources == ["roster"]


def test_one_per_household_in_a_roster_counts_stored_members_and_earlier_rows(
    engine: Engine, tmp_path: Path
) -> None:
    """§11 one_per_household switched on: a second member of a household in the same term
    is refused, whether the first is stored already or an earlier row of the same file."""
    with transaction(engine) as s:
        rule = s.scalars(select(LimitRuleRow).where(LimitRuleRow.code == "one_per_household")).one()
        rule.enabled = True
    header = "participant_id,name,birth_date,district,household,program,term"
    first = write(tmp_path / "first.csv", header, "A,김하나,1960-01-01,11110,H-1,dongheng,2025-H1")
    import_participants(SqlUnitOfWork(engine), first, by="kim")
    second = write(
        tmp_path / "second.csv",
        header,
        "B,김둘,1962-01-01,11110,H-1,dongheng,2025-H1",  # A is stored: refused
        "C,이셋,1963-01-01,11110,H-2,dongheng,2025-H1",
        "D,이넷,1964-01-01,11110,H-2,maeryeok,2025",  # C is row 3: refused
        "E,박다섯,1965-01-01,11110,H-1,dongheng,2025-H2",  # another term: fine
    )
    with pytest.raises(ImportRejected) as refused:
        import_participants(SqlUnitOfWork(engine), second, by="kim")
    assert [(e.row, "one_per_household" in e.reason) for e in refused.value.errors] == [
        (2, True), (4, True)]  # fmt: skip


def test_the_same_enrollment_twice_in_one_file_is_a_row_error(
    engine: Engine, tmp_path: Path
) -> None:
    header = "participant_id,name,birth_date,district,program,term"
    row = "A,김하나,1960-01-01,11110,dongheng,2025-H1"
    twice = write(tmp_path / "twice.csv", header, row, row)
    with pytest.raises(ImportRejected) as refused:
        import_participants(SqlUnitOfWork(engine), twice, by="kim")
    [error] = refused.value.errors
    assert (error.row, error.reason) == (3, "the same enrollment as row 2")

"""휴대전화, 이메일 and 수령방법 in a roster: validated with Korean reasons, stored, changed
with an audit entry that does not repeat them, and kept out of the payment files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.engine import transaction
from payroll.db.models import AuditLog, Participant
from tests.support.numbers import csv_with_numbers

runner = CliRunner()
HEADER = "참여자번호,성명,생년월일,자치구,은행,계좌번호,휴대전화,이메일,수령방법,사업,기수"


def payroll(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def write(path: Path, *rows: str) -> str:
    """A roster file; each row gets its participant's resident number (#22)."""
    head, filled = csv_with_numbers(HEADER, *rows)
    path.write_text("\n".join((head, *filled)) + "\n", encoding="utf-8")
    return str(path)


def test_contacts_are_stored_normalised_and_changes_audited_without_values(
    cli_env: str, tmp_path: Path
) -> None:
    roster = write(
        tmp_path / "r.csv",
        "C-1,김민지,1970-05-01,종로구,국민은행,123456-78-901234,010 2345 6789,"
        "minji@example.kr,이메일,dongheng,2025-H2",
        "C-2,이서준,1990-02-03,종로구,국민은행,123456-78-901235,,,,dongheng,2025-H2",
    )
    payroll("import", "participants", roster, "--by", "김담당")
    engine = create_engine(cli_env)
    with transaction(engine) as s:
        got = {p.participant_id: (p.phone, p.email, p.delivery) for p in s.scalars(
            select(Participant))}  # fmt: skip
    assert got == {
        "C-1": ("01023456789", "minji@example.kr", "email"),
        "C-2": (None, None, "paper"),  # 종이 unless the roster says otherwise
    }
    changed = write(
        tmp_path / "r2.csv",
        "C-2,이서준,1990-02-03,종로구,국민은행,123456-78-901235,010-7777-8888,,알림톡,,",
    )
    payroll("import", "participants", changed, "--by", "김담당")
    with transaction(engine) as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "participant.update")).one()
    assert entry.detail["changes"]["phone"] == "changed"
    assert entry.detail["changes"]["delivery"] == ["paper", "alimtalk"]
    assert "01077778888" not in json.dumps(entry.detail, ensure_ascii=False)

    shown = json.loads(payroll("participant", "show", "C-1", "--json"))["participant"]
    assert (shown["phone"], shown["email"], shown["delivery_label"]) == (
        "010-2345-6789", "minji@example.kr", "이메일",
    )  # fmt: skip

    payroll("run", "calculate", "--month", "2025-11")
    for run in json.loads(payroll("run", "list", "--month", "2025-11", "--json")):
        payroll("run", "approve", str(run["id"]), "--by", "이팀장")
        payroll("run", "finalize", str(run["id"]), "--by", "박과장", "--out", str(tmp_path / "o"))
    for written in (tmp_path / "o").rglob("*.csv"):
        text = written.read_text(encoding="utf-8-sig")
        for contact in ("minji@example.kr", "01023456789", "010-2345-6789", "01077778888"):
            assert contact not in text, written
    engine.dispose()


def test_bad_contacts_are_refused_by_row_and_column_and_nothing_is_written(
    cli_env: str, tmp_path: Path
) -> None:
    roster = write(
        tmp_path / "bad.csv",
        "B-1,김민지,1970-05-01,종로구,,,02-123-4567,,,dongheng,2025-H2",
        "B-2,이서준,1990-02-03,종로구,,,,seo@,,dongheng,2025-H2",
        "B-3,박하늘,1985-12-24,종로구,,,,,우편,dongheng,2025-H2",
        "B-4,최유진,1962-07-15,종로구,,,010-1111-2222,,이메일,dongheng,2025-H2",
        "B-5,정수민,1988-08-08,종로구,,,,a@b.kr,알림톡,dongheng,2025-H2",
    )
    out = payroll("import", "participants", roster, "--by", "김담당", code=1)
    assert "Traceback" not in out
    with (tmp_path / "bad.errors.csv").open(encoding="utf-8-sig") as f:
        found = {(e["row"], e["column"]): e["reason"] for e in csv.DictReader(f)}
    assert "휴대전화 번호가 아닙니다" in found[("2", "phone")]
    assert "전자우편 주소가 아닙니다" in found[("3", "email")]
    assert "종이, 이메일, 알림톡" in found[("4", "delivery")]
    assert "이메일 주소가 있어야" in found[("5", "delivery")]
    assert "휴대전화 번호가 있어야" in found[("6", "delivery")]
    engine = create_engine(cli_env)
    with transaction(engine) as s:
        assert s.scalars(select(Participant)).all() == []
    engine.dispose()

"""Roster columns of rulebook v2 (§9): 자녀수 (children 8–20) and 보수월액 (declared D)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.engine import transaction
from payroll.db.models import EnrollmentRow, Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.formats.tabular import ImportRejected
from payroll.services.imports.rosters import import_participants
from tests.support.numbers import csv_with_numbers

HEADER = "참여자번호,성명,생년월일,자치구,부양가족수,자녀수,사업명,기수,보수월액"


def write(path: Path, *rows: str) -> Path:
    header, rows = csv_with_numbers(HEADER, *rows)  # an enrollment needs a resident number
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_children_and_declared_pay_are_stored_and_shown(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "명부.csv",
        'P1,김영희,1970-05-01,종로구,3,2,동행일자리,2025-H1,"1,600,000"',
        "P2,이철수,1990-03-03,종로구,1,,매력일자리,2025,",
    )
    import_participants(SqlUnitOfWork(engine), path)
    with transaction(engine) as s:
        people = {p.participant_id: p for p in s.scalars(select(Participant))}
        declared = {
            e.participant.participant_id: e.declared_monthly_pay
            for e in s.scalars(select(EnrollmentRow))
        }
        assert (people["P1"].children, people["P2"].children) == (2, 0)
    assert declared == {"P1": 1_600_000, "P2": None}  # None: §9's computed default
    shown = CliRunner().invoke(app, ["participant", "show", "P2", "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.stdout)
    assert report["participant"]["children"] == 0
    # 매력 2025: 209 h × 11,779 = 2,461,811
    assert report["enrollments"][0]["declared_monthly_pay_shown"] == "2,461,811 (기본값)"
    import_participants(SqlUnitOfWork(engine), path)  # the same file again changes nothing


def test_bad_children_and_declared_pay_are_row_errors(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "P1,김영희,1970-05-01,종로구,1,-1,동행일자리,2025-H1,0")
    with pytest.raises(ImportRejected) as caught:
        import_participants(SqlUnitOfWork(engine), path)
    text = str(caught.value) + " ".join(str(e) for e in getattr(caught.value, "errors", ()))
    assert "children" in text and "declared_monthly_pay" in text

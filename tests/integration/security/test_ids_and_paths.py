"""Attack: participant IDs that are paths (``../../tmp/x``, ``/tmp/x``, ``a/b``) must never
write outside the output folder; the roster refuses them, and every output path is checked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from payroll.domain.ids import id_problem
from payroll.formats.safe_paths import UnsafePathError, output_path
from tests.support.attack import cli, finalize_month, write
from tests.support.factories import add_enrolled

HOSTILE_IDS = ["../../../../tmp/y", "/tmp/x", "a/b", "..", "x.pdf", "a b", "-rf", "J\\01", "가-1"]


@pytest.mark.parametrize("value", HOSTILE_IDS + ["", "A" * 41])
def test_unsafe_ids_are_refused(value: str) -> None:
    assert id_problem(value) is not None


@pytest.mark.parametrize("value", ["J-001", "jr_104", "11110-2025-000123", "A" * 40, "7"])
def test_ordinary_ids_pass(value: str) -> None:
    assert id_problem(value) is None


def test_roster_with_path_ids_is_refused_row_by_row(cli_env: str, tmp_path: Path) -> None:
    rows = [f"{pid},김민지,1970-05-01,종로구,dongheng,2025-H1" for pid in HOSTILE_IDS]
    roster = write(tmp_path / "roster.csv", "참여자번호,성명,생년월일,자치구,사업,기수", *rows)
    result = cli("import", "participants", roster, "--by", "김담당")
    assert result.exit_code != 0
    errors = list(csv.DictReader((tmp_path / "roster.errors.csv").open(encoding="utf-8-sig")))
    refused = {int(e["row"]) for e in errors if e["column"] == "participant_id"}
    assert refused == set(range(2, 2 + len(HOSTILE_IDS)))
    assert all("참여자번호" in e["reason"] for e in errors)
    assert "Traceback" not in result.output


def test_output_path_refuses_every_escape(tmp_path: Path) -> None:
    for parts in (("..", "x"), ("/tmp/x",), ("a/b",), ("",), ("ok", "../../x.pdf"), ("a\x00",)):
        with pytest.raises(UnsafePathError):
            output_path(tmp_path, *parts)
    assert (
        output_path(tmp_path, "2025-03", "11110", "J-1.pdf") == tmp_path / "2025-03/11110/J-1.pdf"
    )


def test_link_inside_the_folder_cannot_lead_out(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2025-03").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(UnsafePathError):
        output_path(tmp_path / "out", "2025-03", "x.pdf")


def test_an_id_stored_by_sql_cannot_place_files_outside(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    add_enrolled(engine, "P-2", name="이서준")
    victim = tmp_path / "victim"
    with engine.begin() as conn:  # bypassing the import, as a direct SQL session would
        conn.execute(
            text(
                "UPDATE participants SET participant_id = '../../../victim/x' "
                "WHERE participant_id = 'P-2'"
            )
        )
    finalize_month(engine)
    out = tmp_path / "out"
    result = cli("payslips", "--month", "2025-03", "--out", out)
    assert result.exit_code != 0
    assert "파일 이름에 쓸 수 없는 값" in result.output
    assert not victim.exists()
    assert not list(tmp_path.glob("**/x.pdf"))

"""Attack: a truncated or edited withholding table (one band, a missing page, a lower tax
in one cell) must be refused at import; the official table passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from payroll.domain.withholding import WithholdingTableError
from payroll.reference.withholding_data import load_withholding_table, shipped_withholding_table
from tests.support.attack import cli

HEADER = "이상,미만,1,2,3,4,5,6,7,8,9,10,11"


def _full_rows() -> list[list[int]]:
    return shipped_withholding_table().to_rows()


def _write(path: Path, rows: list[list[int]]) -> Path:
    path.write_text(
        HEADER + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def test_the_complete_table_passes(tmp_path: Path) -> None:
    table = load_withholding_table(_write(tmp_path / "full.csv", _full_rows()))
    assert (table.rows[0].low, table.rows[-1].high) == (770_000, 10_000_000)


@pytest.mark.parametrize(
    ("name", "edit", "reason"),
    [
        ("one band", lambda rows: rows[200:201], "전체가 필요합니다"),
        ("no top", lambda rows: rows[:-10], "전체가 필요합니다"),
        ("no bottom", lambda rows: rows[5:], "전체가 필요합니다"),
        ("a gap", lambda rows: rows[:100] + rows[101:], "gap"),
        (
            "lower tax higher up",
            lambda rows: [
                *rows[:400],
                [*rows[400][:2], *(t - 1 if t else 0 for t in rows[399][2:])],
                *rows[401:],
            ],
            "below the band before",
        ),
        (
            "more dependants, more tax",
            lambda rows: [
                *rows[:400],
                [*rows[400][:3], rows[400][2] + 1, *rows[400][4:]],
                *rows[401:],
            ],
            "is above the tax",
        ),
    ],
)
def test_incomplete_or_edited_tables_are_refused(
    tmp_path: Path,
    name: str,
    edit,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    path = _write(tmp_path / "t.csv", edit(_full_rows()))
    with pytest.raises(WithholdingTableError, match=reason):
        load_withholding_table(path)


def test_import_of_a_truncated_table_is_a_one_line_error(cli_env: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "one.csv", _full_rows()[200:201])
    result = cli("withholding", "import", path, "--by", "김담당")
    assert result.exit_code == 1 and "전체가 필요합니다" in result.output
    assert "Traceback" not in result.output

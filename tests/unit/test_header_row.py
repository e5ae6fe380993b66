"""Uploads as districts write them: title rows, merged two-row headers, a help sheet first."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from payroll.formats.tabular import TableError, read_table
from payroll.services.imports.attendance import COLUMN_ALIASES, REQUIRED


def _book(path: Path, *sheets: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
        if index == len(sheets) - 1:
            for cells in merges:
                sheet.merge_cells(cells)
    book.save(path)
    return path


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "a.xlsx",
        [
            ["2026년 4월 근태 예외 (종로구)"],
            ["작성일: 2026. 5. 1."],
            [],
            ["참여자번호", "일자", "근태구분", "근무시간"],
            ["P1", "2026. 4. 7.", "결근", None],
            ["P2", "2026년 4월 8일", "근무", 3],
        ],
    )
    rows = read_table(path, COLUMN_ALIASES, REQUIRED)
    assert [dict(r) for r in rows] == [
        {"participant_id": "P1", "date": "2026. 4. 7.", "status": "결근", "hours": ""},
        {"participant_id": "P2", "date": "2026년 4월 8일", "status": "근무", "hours": "3"},
    ]
    assert [r.number for r in rows] == [5, 6]  # the rows Excel shows, for error messages


def test_two_row_merged_header(tmp_path: Path) -> None:
    # 참여자번호 and 근태 merged down over two rows; 근무 spans 일자 and 시간.
    path = _book(
        tmp_path / "m.xlsx",
        [
            ["2027년 1월 근태"],
            ["참여자번호", "근무", None, "근태"],
            [None, "일자", "시간", None],
            ["P1", "2027-01-05", 4, "근무"],
        ],
        merges=("A2:A3", "B2:C2", "D2:D3"),
    )
    [row] = read_table(path, COLUMN_ALIASES, REQUIRED)
    assert dict(row) == {
        "participant_id": "P1",
        "date": "2027-01-05",
        "hours": "4",
        "status": "근무",
    }
    assert row.number == 4


def test_first_sheet_with_the_headers_is_read(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "s.xlsx",
        [["작성 요령"], ["결근·연차만 적습니다"]],
        [["participant_id", "date", "status"], ["P7", "2026-03-03", "absent"]],
    )
    [row] = read_table(path, COLUMN_ALIASES, REQUIRED)
    assert row["participant_id"] == "P7" and row.number == 2


def test_unknown_headers_name_the_expected_ones(tmp_path: Path) -> None:
    path = _book(tmp_path / "x.xlsx", [["이름", "메모"], ["김영희", "?"]])
    with pytest.raises(TableError, match="머리글을 찾을 수 없습니다") as err:
        read_table(path, COLUMN_ALIASES, REQUIRED)
    assert "참여자번호, 일자, 상태" in str(err.value)


def test_a_header_without_data_rows_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "e.xlsx", [["제목"], ["참여자번호", "일자", "상태"], [None, None]])
    with pytest.raises(TableError, match="데이터 행이 없습니다"):
        read_table(path, COLUMN_ALIASES, REQUIRED)


def test_csv_with_a_title_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("2026년 5월 근태,,\n참여자번호,날짜,구분\nP1,2026.5.4,연차\n", encoding="cp949")
    [row] = read_table(path, COLUMN_ALIASES, REQUIRED)
    assert dict(row) == {"participant_id": "P1", "date": "2026.5.4", "status": "연차"}
    assert row.number == 3


@settings(max_examples=40, deadline=None)
@given(
    titles=st.lists(
        st.text(alphabet="가나다라 2026년월근태예외()·:", min_size=0, max_size=20), max_size=8
    ),
    days=st.lists(st.integers(min_value=1, max_value=28), min_size=1, max_size=5, unique=True),
)
def test_any_title_rows_above_the_header_keep_every_row_and_its_number(
    tmp_path_factory: pytest.TempPathFactory, titles: list[str], days: list[int]
) -> None:
    """Whatever title lines a district puts above the header, every data row is read
    with the row number Excel shows."""
    path = tmp_path_factory.mktemp("h") / "t.csv"
    header = "참여자번호,일자,상태"
    lines = [*titles, header, *(f"P{d},2026-04-{d:02d},결근" for d in days)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = read_table(path, COLUMN_ALIASES, REQUIRED)
    assert [r["date"] for r in rows] == [f"2026-04-{d:02d}" for d in days]
    first = len(titles) + 2  # the header is line len(titles) + 1
    assert [r.number for r in rows] == list(range(first, first + len(days)))

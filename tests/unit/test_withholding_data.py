"""Withholding-table files: the shipped CSV and an administrator's CSV or XLSX."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.domain.withholding import WithholdingTableError
from payroll.reference.withholding_data import (
    SHIPPED_FILE,
    load_withholding_table,
    read_withholding_file,
    shipped_withholding_table,
)
from payroll.tools import generate_withholding

NTS_CSV = """근로소득 간이세액표,,,,,,,,,,,,
"월급여액(천원)
[비과세 및 학자금 제외]",,공제대상가족의 수,,,,,,,,,,
이상,미만,1,2,3,4,5,6,7,8,9,10,11
"1,060","1,065","1,040",-,-,-,-,-,-,-,-,-,-
"1,065","1,070","1,110",-,-,-,-,-,-,-,-,-,-
"1,070","1,075","1,180",-,-,-,-,-,-,-,-,-,-
"""


def test_loads_an_nts_csv_in_utf8_with_bom_and_cp949(tmp_path: Path) -> None:
    for encoding in ("utf-8", "utf-8-sig", "cp949"):
        path = tmp_path / f"table-{encoding}.csv"
        path.write_bytes(NTS_CSV.encode(encoding))
        table = read_withholding_file(path)
        assert table.source == str(path)
        assert len(table.rows) == 3
        assert table.tax(1_060_000, 1) == 1040
        assert table.tax(1_074_999, 1) == 1180
        assert table.tax(1_074_999, 2) == 0


def test_csv_comment_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('# a note, with "commas"\n# more\n1060,1065,1,2\n', encoding="utf-8")
    with pytest.raises(WithholdingTableError, match=r"t\.csv, row 3: 2 tax columns"):
        load_withholding_table(path)


def test_loads_an_nts_xlsx_first_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["근로소득 간이세액표"])
    sheet.append(["월급여액(천원)", None, "공제대상가족의 수"])
    sheet.merge_cells("A2:B2")
    sheet.append(["이상", "미만", *range(1, 12)])
    sheet.append([1060, 1065, 1040, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"])
    sheet.append([1065, 1070, 1110.0, None, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    sheet.append(["1,070", "1,075", "1,180", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"])
    sheet.append(["10,000천원 초과 …", None, None])
    other = book.create_sheet("ignored")
    other.append([1, 2, "x"])
    path = tmp_path / "table.xlsx"
    book.save(path)
    table = read_withholding_file(path)
    assert [r.low for r in table.rows] == [1_060_000, 1_065_000, 1_070_000]
    assert table.tax(1_065_000, 1) == 1110
    assert table.tax(1_065_000, 2) == 0


def test_xlsx_errors_name_the_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["이상", "미만", *range(1, 12)])
    sheet.append([1060, 1065, 1040, "n/a", *[0] * 9])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(WithholdingTableError, match=r"bad\.xlsx, row 2: tax for 2 dependant"):
        load_withholding_table(path)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WithholdingTableError, match="use a .csv or .xlsx"):
        load_withholding_table(tmp_path / "table.txt")
    with pytest.raises(WithholdingTableError, match="cannot read"):
        load_withholding_table(tmp_path / "missing.csv")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(WithholdingTableError, match="not a readable .xlsx"):
        load_withholding_table(fake)


# --- the shipped official table and the generator tool ------------------------------


def test_generator_is_a_tool_whose_table_is_not_the_shipped_one(tmp_path: Path) -> None:
    out = tmp_path / "generated.csv"
    assert generate_withholding.main([str(out)]) == 0
    generated = load_withholding_table(out)
    official = shipped_withholding_table()
    assert generated.to_rows() != official.to_rows()
    # the generated table withholds too little for a 매력 month (2,461,811 won, §9)
    assert generated.tax(2_461_811, 1) == 28_750
    assert official.tax(2_461_811, 1) == 34_300
    assert "NOT THE OFFICIAL NTS FILE" in out.read_text("utf-8")


def test_generator_usage() -> None:
    assert generate_withholding.main([]) == 2


def test_shipped_table_is_the_official_one() -> None:
    text = resources.files("payroll.data").joinpath(SHIPPED_FILE).read_text("utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert "소득세법 시행령 별표 2" in head[0]
    data = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(data) == 646  # 770 … 10,000 thousand won
    assert "../" not in text


def test_shipped_table_sanity() -> None:
    table = shipped_withholding_table()
    assert table is shipped_withholding_table()  # cached
    assert table.rows[0].low == 770_000 and table.rows[-1].high == 10_000_000
    assert table.tax(1_059_999, 1) == 0
    assert table.tax(1_060_000, 1) == 1040  # the official 2024 table's value
    assert table.tax(1_060_000, 2) == 0


PAY = st.integers(min_value=0, max_value=9_999_999)
DEPENDANTS = st.integers(min_value=1, max_value=15)


@given(PAY, PAY, DEPENDANTS)
def test_tax_is_non_decreasing_in_pay(a: int, b: int, dependants: int) -> None:
    low, high = sorted((a, b))
    table = shipped_withholding_table()
    assert table.tax(low, dependants) <= table.tax(high, dependants)


@given(PAY, DEPENDANTS, DEPENDANTS)
def test_tax_is_non_increasing_in_dependants(pay: int, a: int, b: int) -> None:
    fewer, more = sorted((a, b))
    table = shipped_withholding_table()
    assert table.tax(pay, fewer) >= table.tax(pay, more)


def test_whole_shipped_table_is_monotone() -> None:
    rows = shipped_withholding_table().rows
    for before, after in zip(rows, rows[1:], strict=False):
        assert all(x <= y for x, y in zip(before.taxes, after.taxes, strict=True))
    for row in rows:
        assert all(x >= y for x, y in zip(row.taxes, row.taxes[1:], strict=False))

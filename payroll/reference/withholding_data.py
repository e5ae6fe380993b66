"""Withholding-table files: the shipped official table
(``payroll/data/withholding_table_official.csv``) or an administrator's file (an NTS table
as published, ``.csv`` or ``.xlsx``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from payroll.domain.withholding import Cell, WithholdingTable, WithholdingTableError
from payroll.domain.withholding_coverage import check_complete

SHIPPED_FILE = "withholding_table_official.csv"
CSV_ENCODINGS = ("utf-8-sig", "cp949")  # utf-8-sig also reads plain utf-8


def csv_rows(text: str) -> Iterator[list[str]]:
    """CSV rows of ``text``; a line starting with ``#`` is a comment and reads as empty.

    Comment lines stay in the count, so row numbers in errors are line numbers.
    """
    lines = text.splitlines(keepends=True)
    yield from csv.reader("\n" if line.lstrip().startswith("#") else line for line in lines)


def table_from_csv_text(text: str, source: str) -> WithholdingTable:
    """A table from CSV text in the NTS layout."""
    return WithholdingTable.from_rows(csv_rows(text), source)


def _decode(data: bytes, path: Path) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WithholdingTableError(f"{path}: not UTF-8 or CP949 text")


def _xlsx_rows(path: Path) -> list[Sequence[Cell]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for bad files
        raise WithholdingTableError(f"{path}: not a readable .xlsx file ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_withholding_file(path: Path) -> WithholdingTable:
    """The table of a ``.csv`` (UTF-8 or CP949) or ``.xlsx`` (first sheet) file, as laid out.

    Only the layout is checked; :func:`load_withholding_table` also checks completeness.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise WithholdingTableError(f"{path}: use a .csv or .xlsx file")
    try:
        if suffix == ".xlsx":
            return WithholdingTable.from_rows(_xlsx_rows(path), str(path))
        return table_from_csv_text(_decode(path.read_bytes(), path), str(path))
    except OSError as exc:
        raise WithholdingTableError(f"{path}: cannot read ({exc.strerror})") from None


def load_withholding_table(path: Path) -> WithholdingTable:
    """An administrator's table, refused unless complete (:func:`check_complete`)."""
    return check_complete(read_withholding_file(path))


@lru_cache(maxsize=1)
def shipped_withholding_table() -> WithholdingTable:
    """The official table shipped in the package (소득세법 시행령 별표 2; see its header)."""
    text = resources.files("payroll.data").joinpath(SHIPPED_FILE).read_text("utf-8")
    return check_complete(table_from_csv_text(text, f"payroll/data/{SHIPPED_FILE}"))

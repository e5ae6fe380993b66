"""Workbooks people print: bold header, money format, totals as values, A4 landscape.

Totals are written as numbers (not formulas), so every reader, viewer and printout shows
them without recalculating the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from payroll.formats.sheet_cells import append_row

MONEY_FORMAT = "#,##0"
HOURS_FORMAT = "#,##0.##"
CHANGED = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: differs from last month
EXCEPTION = PatternFill("solid", fgColor="F8CBAD")  # pale red: not paid, needs a decision


def title_rows(sheet: Worksheet, title: str, subtitle: str = "") -> None:
    """Row 1 the title, row 2 a subtitle (empty allowed)."""
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [subtitle])


def header_row(sheet: Worksheet, header: Sequence[str]) -> int:
    """Append the header row (bold, wrapped); return its row number."""
    append_row(sheet, list(header))
    row = sheet.max_row
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return row


def totals_row(sheet: Worksheet, label: str, sums: dict[int, Any]) -> int:
    """A bold totals row: ``label`` in column A and each column's total as a value."""
    width = sheet.max_column
    values: list[Any] = [label] + [""] * (width - 1)
    for column, total in sums.items():
        values[column - 1] = total
    append_row(sheet, values)
    row = sheet.max_row
    for cell in sheet[row]:
        cell.font = Font(bold=True)
    return row


def column_sums(rows: Sequence[Sequence[Any]], columns: Sequence[int]) -> dict[int, Any]:
    """Column number (1-based) -> the sum of its numbers (won or hours); columns with no
    number at all are left out."""
    sums: dict[int, Any] = {}
    for c in columns:
        numbers = [r[c - 1] for r in rows if isinstance(r[c - 1], (int, Decimal))]
        if numbers:
            sums[c] = sum(numbers)
    return sums


def number_formats(sheet: Worksheet, first_row: int, formats: dict[int, str]) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            fmt = formats.get(cell.column)
            if fmt:
                cell.number_format = fmt


def print_setup(sheet: Worksheet, header: int, freeze: str) -> None:
    """A4 landscape, the header row repeated on every page, fit to one page wide."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_options.horizontalCentered = True
    sheet.freeze_panes = freeze
    for column in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12

"""A filing's tables and their XLSX / CSV bytes.

A :class:`Sheet` is a title, Korean headers and rows of plain values (text, whole won,
dates). XLSX gets a bold header, thousands separators, a frozen header row and, when the
sheet has one, a 합계 row with cached values (no formulas). CSV (UTF-8 with BOM, the form
Korean Excel and the receiving systems read) holds the header and the data rows only.
Every cell goes through :func:`cell_value`, the one place that decides what a cell holds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from payroll.formats.sheet_cells import csv_writer, neutralise_formula

NUMBER_FORMAT = "#,##0"
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Sheet:
    """One table of a filing."""

    title: str
    headers: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # the 합계 row (XLSX only)
    text_columns: frozenset[str] = frozenset()  # codes and numbers kept as text (e.g. 004)

    def column(self, header: str) -> list[Any]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


def cell_value(value: Any) -> Any:
    """What a cell holds: dates as ``YYYY-MM-DD`` text, None as empty, text that a
    spreadsheet would run as a formula neutralised (:func:`neutralise_formula`), the rest
    as is."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(value)


def total_row(
    sheet_headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sums: Sequence[str],
    label: str = "합계",
) -> list[Any]:
    """A 합계 row: ``label`` in the first column, the sums of the ``sums`` columns."""
    out: list[Any] = [label] + [""] * (len(sheet_headers) - 1)
    for name in sums:
        i = sheet_headers.index(name)
        out[i] = sum(int(r[i] or 0) for r in rows)
    return out


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet (streamed: large filings stay fast)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for i, header in enumerate(sheet.headers, start=1):
            width = max(10, min(40, len(header) * 2 + 4))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.print_title_rows = "1:1"
        ws.append([_header_cell(ws, h) for h in sheet.headers])
        text_cols = {i for i, h in enumerate(sheet.headers) if h in sheet.text_columns}
        for values in sheet.rows:
            ws.append([_cell(ws, v, i in text_cols, False) for i, v in enumerate(values)])
        if sheet.total is not None:
            ws.append([_cell(ws, v, i in text_cols, True) for i, v in enumerate(sheet.total)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_cell(ws: Any, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_value(title))
    cell.font = _BOLD
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(horizontal="center", wrap_text=True)
    return cell


def _cell(ws: Any, value: Any, text: bool, bold: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_value(value))
    if text:
        cell.number_format = "@"
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = NUMBER_FORMAT
    if bold:
        cell.font = _BOLD
    return cell


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet's header and data rows as CSV (UTF-8 with BOM, CRLF line ends)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow([cell_value(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([cell_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")

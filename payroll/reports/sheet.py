"""A filing's tables and their XLSX / CSV bytes.

A :class:`Sheet` is a title, Korean headers and rows of plain values (text, whole won,
dates). XLSX gets a bold header, thousands separators, a frozen header row and, when the
sheet has one, a 합계 row with cached values (no formulas). CSV (UTF-8 with BOM, the form
Korean Excel and the receiving systems read) holds the header and the data rows only.
Every cell goes through :func:`cell_value`, the one place that decides what a cell holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

NUMBER_FORMAT = "#,##0"
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


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
    """What a cell holds: dates as ``YYYY-MM-DD`` text, None as empty, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


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
    """A workbook with one worksheet per sheet."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append([cell_value(h) for h in sheet.headers])
        for c in ws[1]:
            c.font = Font(bold=True)
            c.fill = _HEADER_FILL
            c.alignment = Alignment(horizontal="center", wrap_text=True)
        text_cols = {i for i, h in enumerate(sheet.headers) if h in sheet.text_columns}
        body = [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]
        for values in body:
            ws.append([cell_value(v) for v in values])
            for i, c in enumerate(ws[ws.max_row]):
                if i in text_cols:
                    c.number_format = "@"
                elif isinstance(c.value, int) and not isinstance(c.value, bool):
                    c.number_format = NUMBER_FORMAT
        if sheet.total is not None:
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
        for i, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(header) * 2 + 4))
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet's header and data rows as CSV (UTF-8 with BOM, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_value(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([cell_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")

"""The one door every CSV and XLSX cell the system writes goes through (CSV injection).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some versions, a tab or carriage return) as a formula: a participant named
``=HYPERLINK("http://…","급여")`` would become a live link in ``payment.csv``. Following
OWASP's CSV-injection rules, :func:`neutralise_formula` puts an apostrophe in front of
every such *text* cell, so it is shown as the text it is. Numbers (``int``, ``Decimal``,
``float``), dates and empty cells are left as they are, so a negative amount stays a
number.

Writers use :func:`csv_writer` (a ``csv.writer`` whose rows are neutralised),
:func:`append_row` (an openpyxl worksheet row) or :func:`sheet_cell` (a write-only
cell). A formula the program builds itself (a register's ``=SUM(D3:D9)``) is marked
:class:`Formula` and is the only text written as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula written by the program itself, never from data: left as a formula."""


def neutralise_formula(value: Any) -> Any:
    """``"=1+1"`` → ``"'=1+1"``; any other value (numbers included) unchanged."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row with every text cell neutralised."""
    return [neutralise_formula(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose every row is neutralised."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: IO[str], **options: Any) -> SafeCsvWriter:
    """The CSV writer of the project (same options as ``csv.writer``)."""
    return SafeCsvWriter(handle, **options)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet; write-only cells are neutralised too."""
    sheet.append([_cell_value(v) for v in values])


def sheet_cell(sheet: Any, value: Any) -> Any:
    """An openpyxl ``WriteOnlyCell`` holding ``value`` neutralised."""
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=neutralise_formula(value))


def _cell_value(value: Any) -> Any:
    from openpyxl.cell.cell import Cell

    if isinstance(value, Cell):
        value.value = neutralise_formula(value.value)
        return value
    return neutralise_formula(value)

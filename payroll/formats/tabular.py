"""Spreadsheet input (명부 파일): CSV or XLSX with a header row, read into rows of text.

:func:`read_table` reads an ``.xlsx``/``.xlsm`` workbook (the first sheet that has a header),
or a ``.csv`` file in UTF-8 (with or without BOM) or CP949 (Excel's Korean default). The
header is found below title rows, and may be two merged rows (:mod:`header_row`). A
header cell is matched against ``aliases`` (label → canonical column name) and the
canonical names themselves, ignoring case, spaces, ``_`` and ``-``, so ``Participant ID``,
``participant_id`` and ``참여자 번호`` all match. Columns no alias knows are kept under their
header text; callers decide whether to ignore them.

The result is a :class:`Table` (a list of rows with ``.columns``, the header's canonical
names). Each row is a :class:`TableRow`: a ``dict`` of canonical column → stripped text ("" for an
empty cell), with ``.number`` the row number the spreadsheet shows.
Completely empty rows are skipped, so use ``.number`` rather than counting rows. XLSX dates
become ``YYYY-MM-DD``, whole numbers lose their ``.0``. No header, or no data row under
it, is a :class:`TableError` in Korean.

:func:`write_error_file` writes row errors to ``<input stem>.errors.csv`` next to the input
(columns ``row, column, value, reason``; UTF-8 with BOM so that Excel shows Korean).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from payroll.domain.model import PayrollError
from payroll.formats import header_row, inputs
from payroll.formats.sheet_cells import csv_writer
from payroll.formats.xlsx_guard import CellCounter, check_xlsx
from payroll.privacy.rrn import mask as rrn_mask
from payroll.privacy.rrn import redact

__all__ = [
    "RowError",
    "Table",
    "TableError",
    "TableRow",
    "parse_date",
    "read_table",
    "write_error_file",
]

CSV_ENCODINGS = ("utf-8-sig", "cp949")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class TableError(inputs.InputError):
    """A file that cannot be read as a table at all (the message names the file)."""


@dataclass(frozen=True)
class RowError:
    """One problem of one input row: row number as the spreadsheet shows it, column, value."""

    row: int
    column: str
    value: str
    reason: str

    def __post_init__(self) -> None:
        # Resident numbers are masked here, so neither the screen nor errors.csv sees one.
        value = rrn_mask(self.value) if self.column == "rrn" else redact(self.value)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "reason", redact(self.reason))


class TableRow(dict[str, str]):
    """One data row keyed by canonical column name; ``number`` is its spreadsheet row."""

    def __init__(self, number: int, cells: Mapping[str, str]) -> None:
        super().__init__(cells)
        self.number = number


class Table(list[TableRow]):
    """The data rows of a file; ``columns`` are its canonical header names, in order."""

    def __init__(self, rows: list[TableRow], columns: tuple[str, ...]) -> None:
        super().__init__(rows)
        self.columns = columns


def _key(label: str) -> str:
    return re.sub(r"[\s_\-]+", "", label).casefold()


def _header_map(aliases: Mapping[str, str]) -> dict[str, str]:
    known = {_key(canonical): canonical for canonical in aliases.values()}
    known.update({_key(label): canonical for label, canonical in aliases.items()})
    return known


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(str(value)))
    return str(value).strip()


def _read_csv(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"{path.name}: 파일을 읽을 수 없습니다 ({exc.strerror})") from None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            counter, rows = CellCounter(path.name), []
            for r in csv.reader(io.StringIO(text, newline="")):
                counter.add(len(r))
                rows.append(list(r))
            return rows
        except csv.Error as exc:
            raise TableError(f"{path.name}: CSV 파일로 읽을 수 없습니다 ({exc})") from None
    raise TableError(
        f"{path.name}: UTF-8이나 CP949 글자가 아닙니다. CSV UTF-8 또는 .xlsx로 저장해 주십시오"
    )


def _read_xlsx(path: Path) -> list[list[list[str]]]:
    from openpyxl import load_workbook

    check_xlsx(path)  # zip bombs and inflated sheet dimensions, before openpyxl allocates
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise TableError(f"{path.name}: 파일을 읽을 수 없습니다 ({exc.strerror})") from None
    except Exception:  # openpyxl raises zipfile/KeyError/InvalidFileException
        raise TableError(f"{path.name}: 엑셀(.xlsx) 파일로 읽을 수 없습니다") from None
    try:
        counter = CellCounter(path.name)  # the cells actually read, every sheet together
        sheets = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                counter.add(len(row))
                rows.append([_cell_text(v) for v in row])
            sheets.append(rows)
        return sheets
    finally:
        book.close()


_once: ContextVar[dict[Path, list[list[list[str]]]] | None] = ContextVar(
    "tabular_once", default=None
)


@contextmanager
def read_once() -> Iterator[None]:
    """Inside the block each file is parsed at most once (a check, then the import)."""
    token = _once.set({})
    try:
        yield
    finally:
        _once.reset(token)


def _raw_sheets(path: Path) -> list[list[list[str]]]:
    """Every sheet's rows of cell texts (a CSV is one sheet), parsed once inside
    :func:`read_once`."""
    cache = _once.get()
    if cache is None:
        return _parse_sheets(path)
    key = path.resolve()
    if key not in cache:
        cache[key] = _parse_sheets(path)
    return cache[key]


def _parse_sheets(path: Path) -> list[list[list[str]]]:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
    raise TableError(
        f"{path.name}: {suffix or '(확장자 없음)'} 파일은 읽을 수 없습니다. "
        ".csv 또는 .xlsx를 쓰십시오"
    )


def read_table(path: Path, aliases: Mapping[str, str], required: Sequence[str] = ()) -> Table:
    """The data rows of ``path`` keyed by canonical column name (see the module docstring).

    The header is found by :func:`payroll.formats.header_row.find_header` on the first
    sheet that has one; ``required`` (canonical names) only shapes the message when no
    sheet has a header. A file with a header and no data rows is refused.
    """
    sheets = _raw_sheets(path)
    if not any(any(c.strip() for c in row) for rows in sheets for row in rows):
        raise TableError(f"{path.name}: 빈 파일입니다")
    known = _header_map(aliases)
    found = None
    for raw in sheets:
        found = header_row.find_header(raw, known)
        if found is not None:
            break
    if found is None:
        expected = header_row.expected_labels(aliases, required)
        raise TableError(f"{path.name}: 머리글을 찾을 수 없습니다 (필요한 머리글: {expected})")
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    for label in found.labels:
        label = label.strip()
        if not label:
            columns.append(None)
            continue
        name = known.get(_key(label), label)
        if name in seen:
            raise TableError(
                f"{path.name}: {seen[name]!r} 열과 {label!r} 열이 같은 항목입니다. "
                "하나만 남겨 주십시오"
            )
        seen[name] = label
        columns.append(name)
    rows: list[TableRow] = []
    for number, cells in enumerate(raw[found.data_start :], start=found.data_start + 1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        extra = [c for c in cells[len(columns) :] if c]
        if extra:
            raise TableError(f"{path.name}: {number}행에 머리글보다 많은 칸이 있습니다")
        values = {name: "" for name in columns if name is not None}
        for name, cell in zip(columns, cells, strict=False):
            if name is not None:
                values[name] = cell
        rows.append(TableRow(number, values))
    if not rows:
        raise TableError(f"{path.name}: 머리글 아래에 데이터 행이 없습니다")
    return Table(rows, tuple(c for c in columns if c is not None))


def error_file_path(input_path: Path) -> Path:
    """``roster.xlsx`` -> ``roster.errors.csv`` in the same folder."""
    return input_path.with_name(f"{input_path.stem}.errors.csv")


def write_error_file(input_path: Path, errors: Iterable[RowError]) -> Path:
    """Write ``errors`` to ``<input stem>.errors.csv`` next to the input; return its path."""
    out = error_file_path(input_path)
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv_writer(f)
        writer.writerow(["row", "column", "value", "reason"])
        for e in errors:
            writer.writerow([e.row, e.column, e.value, e.reason])
    return out


def parse_date(text: str) -> date:
    """A date cell in any form :func:`payroll.formats.inputs.parse_date` knows.

    Raises ``ValueError`` with a reason fit for a row error.
    """
    try:
        return inputs.parse_date(text)
    except inputs.InputError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


class ImportRejected(PayrollError):
    """Row errors: nothing was written; the errors are also in ``error_file``."""

    def __init__(self, path: Path, errors: Sequence[RowError], error_file: Path) -> None:
        super().__init__(
            f"{path.name}: 오류 {len(errors)}건, 아무것도 가져오지 않았습니다 "
            f"(오류 목록: {error_file})"
        )
        self.path = path
        self.errors = tuple(errors)
        self.error_file = error_file


def reject(path: Path, errors: Iterable[RowError]) -> ImportRejected:
    """The refusal of a whole file: errors sorted by row and saved next to the input."""
    ordered = sorted(errors, key=lambda e: (e.row, e.column))
    return ImportRejected(path, ordered, write_error_file(path, ordered))

"""Refuse a hostile XLSX before openpyxl opens it: zip bombs and inflated sheets.

An ``.xlsx`` is a zip of XML parts. A tiny file can inflate to hundreds of megabytes, or a
sheet can declare ``<dimension ref="A1:XFD1048576">`` so that a reader allocates every
declared cell. :func:`check_xlsx` looks only at the zip directory and the first bytes of
each sheet, so it costs next to nothing; :class:`CellCounter` counts the cells actually
read. A roster of a district is a few thousand rows of some twenty columns; the row limit
leaves room for the city's own files (ten years of participation history of the whole city
is some 160,000 rows), while a declared or inflated sheet past it is refused unread.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from payroll.domain.model import PayrollError

MAX_INFLATED = 50 * 1024 * 1024  # all zip members together, uncompressed
MAX_MEMBERS = 2_000
MAX_RATIO = 200  # uncompressed / compressed of one member (XML rarely passes 100)
MAX_CELLS = 5_000_000  # declared (dimension) or read
MAX_ROWS = 200_000
MAX_COLUMNS = 200
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']\$?([A-Za-z]+)?\$?(\d+)?"
    rb"(?::\$?([A-Za-z]+)\$?(\d+))?[\"']"
)
_HEAD = 64 * 1024  # the dimension element comes before the sheet data


class SheetTooLarge(PayrollError):
    """A workbook larger than a roster can be (message in Korean, names the limit)."""


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n


def declared_size(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) a sheet's ``<dimension ref="A1:C10">`` declares, if it has one."""
    found = _DIMENSION.search(head)
    if not found:
        return None
    first_col, first_row, last_col, last_row = found.groups()
    if last_col is None:
        return 1, 1
    rows = int(last_row) - int(first_row or 1) + 1
    cols = (
        _column_number(last_col.decode().upper())
        - _column_number((first_col or b"A").decode().upper())
        + 1
    )
    return max(rows, 1), max(cols, 1)


def _refuse(name: str, why: str) -> SheetTooLarge:
    return SheetTooLarge(
        f"{name}: {why} 명부 파일로 보기에는 너무 큽니다. 필요한 행만 남겨 다시 올리세요."
    )


def check_xlsx(path: Path) -> None:
    """Refuse ``path`` if its parts inflate too much or a sheet declares too many cells."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            if len(members) > MAX_MEMBERS:
                raise _refuse(
                    name, f"압축 안의 파일이 {len(members)}개입니다 ({MAX_MEMBERS}개까지)."
                )
            total = sum(m.file_size for m in members)
            if total > MAX_INFLATED:
                mb = MAX_INFLATED // (1024 * 1024)
                raise _refuse(name, f"압축을 풀면 {total // (1024 * 1024)}MB입니다 ({mb}MB까지).")
            for m in members:
                if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise _refuse(name, f"압축률이 비정상적입니다 ({m.filename}).")
            for m in members:
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    with book.open(m) as part:
                        _check_declared(name, part.read(_HEAD))
    except zipfile.BadZipFile:
        return  # not a zip: the reader reports an unreadable workbook in its own words


def _check_declared(name: str, head: bytes) -> None:
    size = declared_size(head)
    if size is None:
        return
    rows, cols = size
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise _refuse(
            name,
            f"시트가 {rows:,}행 × {cols:,}열을 선언합니다 ({MAX_ROWS:,}행, {MAX_COLUMNS}열까지).",
        )


class CellCounter:
    """Counts cells as they are read; refuses past :data:`MAX_CELLS` or :data:`MAX_ROWS`."""

    def __init__(self, name: str) -> None:
        self.name, self.cells, self.rows = name, 0, 0

    def add(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        if width > MAX_COLUMNS or self.rows > MAX_ROWS or self.cells > MAX_CELLS:
            raise _refuse(
                self.name, f"읽은 칸이 {self.cells:,}개를 넘습니다 ({MAX_CELLS:,}개까지)."
            )

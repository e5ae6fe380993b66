"""Resident numbers for roster fixtures written before an enrollment needed one (#22).

:func:`with_numbers` gives every roster row that has a birth date but no number a
stable one: the birth date, the century's digit and six digits from the participant ID,
so the same participant gets the same number in every file of a test (a person), and two
participant IDs never share one. Rows with a number keep it; the tests of the number
itself (tests/e2e/test_city_wide_person.py) write theirs by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

ID_COLUMNS = ("participant_id", "참여자번호", "참여자ID")
BIRTH_COLUMNS = ("birth_date", "생년월일")
NUMBER_COLUMNS = ("rrn", "주민등록번호", "주민번호")


def number_for(participant_id: str, born: Any) -> str:
    """A valid-looking number for this participant and birth date ('' if no date)."""
    day = _date(born)
    if day is None:
        return ""
    century = "1" if day.year < 2000 else "3"
    tail = int(hashlib.sha256(participant_id.encode()).hexdigest(), 16) % 1_000_000
    return f"{day:%y%m%d}-{century}{tail:06d}"


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    parts = [text[:4], text[4:6], text[6:8]] if re.fullmatch(r"\d{8}", text) else None
    parts = parts or re.findall(r"\d+", text)
    if len(parts) != 3 or len(parts[0]) != 4:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _index(header: Sequence[str], names: Sequence[str]) -> int | None:
    return next((i for i, h in enumerate(header) if h.strip() in names), None)


def with_numbers(
    header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[list[str], list[list[Any]]]:
    """``header`` and ``rows`` with a number column (added last if missing) filled in."""
    header = list(header)
    pid_at, born_at = _index(header, ID_COLUMNS), _index(header, BIRTH_COLUMNS)
    at = _index(header, NUMBER_COLUMNS)
    if pid_at is None or born_at is None:
        return header, [list(r) for r in rows]
    if at is None:
        header.append("주민등록번호")
        at = len(header) - 1
    out = []
    for row in rows:
        row = list(row) + [""] * (len(header) - len(row))
        if not row[at]:
            row[at] = number_for(str(row[pid_at]), row[born_at])
        out.append(row)
    return header, out


def csv_with_numbers(header: str, *rows: str) -> tuple[str, tuple[str, ...]]:
    """:func:`with_numbers` for comma-separated lines (quoted cells allowed)."""
    [head] = list(csv.reader([header]))
    head, filled = with_numbers(head, [next(csv.reader([r])) if r else [] for r in rows])
    return _line(head), tuple(_line(r) for r in filled)


def _line(cells: Sequence[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def csv_text_with_numbers(text: str) -> str:
    """A whole roster CSV text (header line first) with every row's number filled in."""
    header, *rows = text.rstrip("\n").split("\n")
    head, filled = csv_with_numbers(header, *rows)
    return "\n".join((head, *filled)) + "\n"

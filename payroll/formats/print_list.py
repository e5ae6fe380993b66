"""The list of participants to hand a printed payslip (CSV, UTF-8 with BOM for Excel).

Columns 참여자번호, 성명, 사유; cells formula-safe; written atomically and readable by its
owner only (it names people and why their payslip did not reach them).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.sheet_cells import csv_writer

HEADER = ("참여자번호", "성명", "사유")


def write_print_list(path: Path, rows: Iterable[tuple[str, str, str]]) -> None:
    """Write ``(participant_id, name, reason)`` rows to ``path``."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row)
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"), private=True)

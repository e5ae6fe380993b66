"""Files of a finalized run: the payment file (이체 파일) and the payroll register (급여대장).

Paths: ``OUT/<month>/<district>/<program>/payment.csv`` and ``register.xlsx``.
Both are written atomically (temporary file, then rename).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import District, EnrollmentRow, Participant, PayrollRun, PayslipRow
from payroll.domain.labels import label
from payroll.services.payslip_store import LINE_KINDS, lines_by_payslip
from payroll.services.runs import RunError, find_run

PAYMENT_COLUMNS = ("participant_id", "name", "bank", "account", "net_pay")
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class RunFiles:
    payment: Path
    register: Path
    participants: int
    net_total: int


def run_dir(out_dir: Path, run: PayrollRun) -> Path:
    return out_dir / run.month / run.district_code / run.program_code


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_run_files(engine: Engine, ref: str, out_dir: Path) -> RunFiles:
    """Write the payment file and the register of a finalized run."""
    with transaction(engine) as session:
        run = find_run(session, ref)
        if run.state != "finalized":
            raise RunError(
                f"run {run.id} is {run.state}: payment files are only written for finalized runs"
            )
        district = session.get(District, run.district_code)
        rows = session.execute(
            select(PayslipRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.run_id == run.id)
            .order_by(Participant.name, Participant.participant_id)
        ).all()
        lines = lines_by_payslip(session, [slip.id for slip, _ in rows])
    folder = run_dir(out_dir, run)
    payment = folder / "payment.csv"
    register = folder / "register.xlsx"

    def write_payment(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(PAYMENT_COLUMNS)
            for slip, person in rows:
                writer.writerow(
                    [
                        person.participant_id,
                        person.name,
                        person.bank or "",
                        person.account or "",
                        slip.net,
                    ]
                )

    atomic_write(payment, write_payment)
    title = f"{run.month} {district.name if district else run.district_code} {run.program_code}"
    atomic_write(register, lambda tmp: _write_register(tmp, title, rows, lines))
    return RunFiles(payment, register, len(rows), sum(slip.net for slip, _ in rows))


def _write_register(tmp: Path, title: str, rows: Any, lines: Any) -> None:
    codes: dict[str, list[str]] = {kind: [] for kind in LINE_KINDS}
    for slip_lines in lines.values():
        for line in slip_lines:
            if line.code not in codes[line.kind]:
                codes[line.kind].append(line.code)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "급여대장"
    sheet.append([f"급여대장 {title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    header = ["참여자번호", "성명", "생년월일"]
    header += [label(c) for c in codes["earning"]] + ["임금 총액"]
    header += [label(c) for c in codes["deduction"]] + ["공제 합계", "실지급액"]
    header += [label(c) for c in codes["employer"]] + ["사업주 부담 합계"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for slip, person in rows:
        amounts: dict[tuple[str, str], int] = {}
        for line in lines.get(slip.id, []):
            key = (line.kind, line.code)
            amounts[key] = amounts.get(key, 0) + line.amount
        values: list[Any] = [person.participant_id, person.name, person.birth_date.isoformat()]
        values += [amounts.get(("earning", c), 0) for c in codes["earning"]] + [slip.gross]
        values += [amounts.get(("deduction", c), 0) for c in codes["deduction"]]
        values += [slip.total_deductions, slip.net]
        values += [amounts.get(("employer", c), 0) for c in codes["employer"]]
        values += [slip.employer_total]
        sheet.append(values)
    last = sheet.max_row
    totals: list[Any] = ["합계", f"{len(rows)}명", ""]
    for col in range(4, len(header) + 1):
        letter = get_column_letter(col)
        totals.append(f"=SUM({letter}3:{letter}{last})" if rows else 0)
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, min_col=4):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for col in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.freeze_panes = "D3"
    book.save(tmp)

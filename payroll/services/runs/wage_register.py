"""The wage register (임금대장, 근로기준법 §48 and 시행령 §27) of a finalized run.

Per participant: name, id, birth date, the work (program), hire date and end (with the
reason of an early end), the basis of the pay (hourly rate, dependents), work days, hours,
overtime and holiday-work hours, each pay item, each deduction, net pay, and the employer's
contributions. Totals are values. Printed A4 landscape with the header on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from payroll.domain.labels import EMPLOYER_LABELS, label, run_state_name
from payroll.formats.sheet_cells import append_row
from payroll.formats.xlsx_layout import (
    HOURS_FORMAT,
    MONEY_FORMAT,
    column_sums,
    header_row,
    number_formats,
    print_setup,
    title_rows,
    totals_row,
)
from payroll.services.enrollment.early_end import reason_label
from payroll.services.runs.pay_sheets import RunSheet

FIXED = ["참여자번호", "성명", "생년월일", "업무(사업)", "고용일", "종료일", "종료사유",
         "시급(원)", "부양가족수", "근로일수", "근로시간", "연장근로시간",
         "휴일근로시간"]  # fmt: skip
HOURS_COLUMNS = (11, 12, 13)


def write_register(
    path: Path, sheet_data: RunSheet, extra: Callable[[Workbook], None] | None = None
) -> None:
    """Write the register workbook of ``sheet_data`` to ``path`` (``extra`` adds sheets)."""
    codes = sheet_data.codes
    header = list(FIXED)
    header += [label(c) for c in codes["earning"]] + ["임금 총액"]
    header += [label(c) for c in codes["deduction"]] + ["공제 합계", "실지급액"]
    header += [EMPLOYER_LABELS.get(c, label(c)) for c in codes["employer"]] + ["사업주 부담 합계"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "임금대장"
    run = sheet_data.run
    title_rows(
        sheet,
        f"임금대장 {sheet_data.title}",
        f"사업장: 서울특별시 {sheet_data.district_name}청 · 상태: {run_state_name(run.state)} · "
        f"확정: {run.finalized_by or ''} {run.finalized_at:%Y-%m-%d}"
        if run.finalized_at
        else f"사업장: 서울특별시 {sheet_data.district_name}청 · 상태: {run_state_name(run.state)}",
    )
    top = header_row(sheet, header)
    rows: list[list[Any]] = []
    for r in sheet_data.rows:
        if r.slip is None:
            continue
        e, p, slip = r.enrollment, r.participant, r.slip
        values: list[Any] = [
            p.participant_id, p.name, p.birth_date.isoformat(), sheet_data.program_name,
            e.start.isoformat(), e.end.isoformat(), reason_label(e.end_reason),
            slip.hourly_rate, p.dependents, r.worked_days, r.worked_hours,
            r.overtime_hours, r.holiday_hours,
        ]  # fmt: skip
        values += [r.amounts.get(("earning", c), 0) for c in codes["earning"]] + [slip.gross]
        values += [r.amounts.get(("deduction", c), 0) for c in codes["deduction"]]
        values += [slip.total_deductions, slip.net]
        values += [r.amounts.get(("employer", c), 0) for c in codes["employer"]]
        values += [slip.employer_total]
        rows.append(values)
        append_row(sheet, values)
    summed = [10, *HOURS_COLUMNS, *range(len(FIXED) + 1, len(header) + 1)]
    totals_row(sheet, f"합계 {len(rows)}명", column_sums(rows, summed) if rows else {})
    formats = {c: MONEY_FORMAT for c in range(len(FIXED) + 1, len(header) + 1)}
    formats.update({8: MONEY_FORMAT, **{c: HOURS_FORMAT for c in HOURS_COLUMNS}})
    number_formats(sheet, top + 1, formats)
    print_setup(sheet, top, "C4")
    if extra is not None:
        extra(book)
    book.save(path)

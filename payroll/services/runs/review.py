"""The review workbook (검토표) a team lead reads before approving a run.

One row per participant: name, id, work days and hours, every earning and deduction
column, net pay, last month's net, the exception (not paid) and any override, pay cut or
early end, and who is paid (bank, account, holder: highlighted when the account differs
from last month's payment); a second sheet lists the months the run holds (지급 보류).
Cells that differ from the participant's previous month are highlighted, and
a participant new this month has the name highlighted. Totals are values. A4 landscape,
header repeated, one page wide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from payroll.domain.labels import label, run_state_name
from payroll.formats.atomic import atomic_write
from payroll.formats.sheet_cells import append_row
from payroll.formats.xlsx_layout import (
    CHANGED,
    EXCEPTION,
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
from payroll.services.runs import payees as run_payees
from payroll.services.runs.lifecycle import find_run
from payroll.services.runs.pay_sheets import SheetRow, previous_amounts, run_sheet
from payroll.services.unit_of_work import UnitOfWork

FIXED = ["성명", "참여자번호", "근로일수", "근로시간", "결근일수"]


def _notes(row: SheetRow) -> str:
    e = row.enrollment
    notes = []
    if e.override_reason:
        notes.append(f"예외 등록: {e.override_reason} ({e.override_by})")
    if e.pay_cut_percent:
        notes.append(f"참여제한 감액 {e.pay_cut_percent}%")
    if e.end_reason:
        notes.append(f"중도 종료 {e.end.isoformat()} {reason_label(e.end_reason)}")
    if row.excluded:
        notes.append(row.excluded)
    return "; ".join(notes)


def held_sheet(book: Workbook, held: list[run_payees.Held]) -> None:
    """지급 보류: each held month, its amount (kept, paid once released) and its state."""
    sheet = book.create_sheet("지급 보류")
    header_row(sheet, ["참여자번호", "귀속월", "보류 금액", "과세분", "비과세분", "사유", "상태"])
    for h in held:
        c = h.carryover
        state = "지급됨" if c.outstanding == 0 else ("해제됨" if h.released else "보류 중")
        append_row(
            sheet,
            [h.participant_id, c.ref_month, c.total, c.taxable, c.non_taxable, c.reason, state],
        )
    totals_row(sheet, f"보류 {len(held)}명", {3: sum(h.carryover.total for h in held)})
    number_formats(sheet, 2, {3: MONEY_FORMAT, 4: MONEY_FORMAT, 5: MONEY_FORMAT})


def write_review(uow: UnitOfWork, ref: str, path: Path) -> tuple[Path, int]:
    """Write the review workbook of run ``ref``; returns the path and the row count."""
    with uow:
        run = find_run(uow, ref)
        data = run_sheet(uow, run)
        before = previous_amounts(uow, run)
        payees = {p.participant_id: p for p in run_payees.run_payees(uow, run)}
        held = run_payees.held_months(uow, run)
    codes = data.codes
    columns = [("earning", c) for c in codes["earning"]] + [("gross", "")]
    columns += [("deduction", c) for c in codes["deduction"]] + [("total_deductions", "")]
    columns += [("net", "")]
    header = list(FIXED) + [label(c) if c else "" for _k, c in columns]
    header[len(FIXED) + columns.index(("gross", ""))] = "임금 총액"
    header[len(FIXED) + columns.index(("total_deductions", ""))] = "공제 합계"
    header[len(FIXED) + columns.index(("net", ""))] = "실지급액"
    header += ["전월 실지급액", "증감", "예외(미지급)", "비고", "은행", "계좌번호", "예금주"]

    def write(tmp: Path) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "검토표"
        title_rows(
            sheet,
            f"급여 검토표 {data.title}",
            f"실행 {run.id} · 상태 {run_state_name(run.state)} · "
            "노란색: 전월과 다른 값 · 빨간색: 미지급 예외",
        )
        top = header_row(sheet, header)
        values_rows: list[list[Any]] = []
        for r in data.rows:
            previous = before.get(r.enrollment.id)
            values: list[Any] = [r.participant.name, r.participant.participant_id]
            values += [r.worked_days, r.worked_hours]
            values += [int(r.slip.facts.get("absent_days", 0)) if r.slip else 0]
            figures = []
            for kind, code in columns:
                if r.slip is None:
                    figures.append(None)
                elif kind in ("earning", "deduction"):
                    figures.append(r.amounts.get((kind, code), 0))
                else:
                    figures.append(getattr(r.slip, kind))
            values += figures
            last_net = previous[1] if previous else None
            net = r.slip.net if r.slip else None
            change = net - last_net if net is not None and last_net is not None else None
            values += [last_net, change, r.exception, _notes(r)]
            payee = payees.get(r.participant.participant_id)
            if payee is not None:
                values += [payee.bank, payee.account, payee.holder or r.participant.name]
            values_rows.append(values)
            append_row(sheet, values)
            row = sheet.max_row
            if payee is not None and payee.changed:  # the account differs from last month's
                for column in range(len(header) - 2, len(header) + 1):
                    sheet.cell(row, column).fill = CHANGED
            if r.slip is None:
                for cell in sheet[row]:
                    cell.fill = EXCEPTION
                continue
            if previous is None:
                sheet.cell(row, 1).fill = CHANGED
                continue
            amounts = previous[0]
            for offset, (kind, code) in enumerate(columns):
                if kind in ("earning", "deduction") and amounts.get((kind, code), 0) != (
                    figures[offset] or 0
                ):
                    sheet.cell(row, len(FIXED) + 1 + offset).fill = CHANGED
            if change:
                sheet.cell(row, len(FIXED) + columns.index(("net", "")) + 1).fill = CHANGED
        money = range(len(FIXED) + 1, len(FIXED) + len(columns) + 3)
        paid = [v for v, r in zip(values_rows, data.rows, strict=True) if r.slip is not None]
        sums = column_sums(paid, [3, 4, 5, *money]) if paid else {}
        totals_row(sheet, f"합계 {len(paid)}명 (예외 {len(values_rows) - len(paid)}명)", sums)
        formats = {c: MONEY_FORMAT for c in money}
        formats[4] = HOURS_FORMAT
        number_formats(sheet, top + 1, formats)
        print_setup(sheet, top, "C4")
        if held:
            held_sheet(book, held)
        book.save(tmp)

    atomic_write(path, write)
    return path, len(data.rows)

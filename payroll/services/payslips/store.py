"""Stored payslips read back: their lines, and the calc JSON shape of one payslip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from payroll.domain.model import Line, amounts_by_code, explanations_by_code
from payroll.domain.report_records import LINE_KINDS, LineRecord, PayslipRecord
from payroll.services.unit_of_work import UnitOfWork

__all__ = ["LINE_KINDS", "lines_by_payslip", "payslip_json"]


def lines_by_payslip(uow: UnitOfWork, payslip_ids: Sequence[int]) -> dict[int, list[LineRecord]]:
    """Lines of many payslips, each payslip's by kind and position, in few queries."""
    with uow:
        return uow.pay_sheets.lines(payslip_ids)


def payslip_json(row: PayslipRecord, lines: Sequence[LineRecord]) -> dict[str, Any]:
    """A stored payslip in the ``payroll calc --json`` month shape (``lines`` in order)."""
    by_kind = {
        kind: tuple(Line(x.code, x.amount, x.explanation) for x in lines if x.kind == kind)
        for kind in LINE_KINDS
    }
    return {
        "month": row.month,
        "earnings": amounts_by_code(by_kind["earning"]),
        "deductions": amounts_by_code(by_kind["deduction"]),
        "employer": amounts_by_code(by_kind["employer"]),
        "gross": row.gross,
        "insurable": row.insurable,
        "taxable": row.taxable,
        "total_deductions": row.total_deductions,
        "net": row.net,
        "leave": {
            "accrued": row.leave_accrued,
            "used": row.leave_used,
            "balance": row.leave_balance,
        },
        "explain": explanations_by_code((*by_kind["earning"], *by_kind["deduction"])),
    }

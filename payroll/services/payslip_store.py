"""Stored payslips: domain ``Payslip`` to rows (bulk) and rows back to the calc JSON shape."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from payroll.db.models import PayslipLineRow, PayslipRow
from payroll.domain.model import Line, Payslip, amounts_by_code, explanations_by_code
from payroll.domain.settlement import Settlement

LINE_KINDS = ("earning", "deduction", "employer")


def facts_json(payslip: Payslip) -> dict[str, Any]:
    """The month facts, plus D (§9) and the notes on absent deductions the payslip prints."""
    facts = asdict(payslip.facts)
    facts["worked_hours"] = str(payslip.facts.worked_hours)
    facts["declared_monthly_pay"] = payslip.declared_monthly_pay
    if payslip.notes:
        facts["notes"] = list(payslip.notes)
    if isinstance(payslip.settlement, Settlement):
        # §13's G (총급여): the withholding return's A02 row reports the same figure
        facts["settlement_total_pay"] = payslip.settlement.income_tax.total_pay
    return facts


def insert_payslips(
    session: Session,
    run_id: int,
    computed: Sequence[tuple[int, Payslip, Mapping[str, str]]],
) -> None:
    """Insert payslips and their lines in bulk.

    ``computed`` holds (enrollment id, payslip, ref months by line position key
    ``"earning:N"`` for retro lines).
    """
    if not computed:
        return
    rows = [
        {
            "run_id": run_id,
            "enrollment_id": enrollment_id,
            "month": p.month,
            "gross": p.gross,
            "insurable": p.insurable,
            "taxable": p.taxable,
            "non_taxable": p.non_taxable,
            "total_deductions": p.total_deductions,
            "net": p.net,
            "employer_total": sum(line.amount for line in p.employer),
            "hourly_rate": p.hourly_rate,
            "leave_accrued": p.leave.accrued,
            "leave_used": p.leave.used,
            "leave_balance": p.leave.balance,
            "facts": facts_json(p),
        }
        for enrollment_id, p, _refs in computed
    ]
    ids: dict[int, int] = {}
    for chunk in _chunks(rows, 2000):
        table = PayslipRow.__table__
        result = session.execute(
            insert(table).returning(
                table.c.id, table.c.enrollment_id, sort_by_parameter_order=True
            ),
            chunk,
        )
        ids.update({enrollment_id: pk for pk, enrollment_id in result})
    lines = []
    for enrollment_id, p, refs in computed:
        pk = ids[enrollment_id]
        for kind, group in zip(LINE_KINDS, (p.earnings, p.deductions, p.employer), strict=True):
            for position, line in enumerate(group):
                lines.append(
                    {
                        "payslip_id": pk,
                        "kind": kind,
                        "code": line.code,
                        "amount": line.amount,
                        "explanation": line.explanation,
                        "position": position,
                        "ref_month": refs.get(f"{kind}:{position}"),
                    }
                )
    for chunk in _chunks(lines, 5000):
        session.execute(insert(PayslipLineRow.__table__), chunk)


def _chunks(items: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def lines_by_payslip(
    session: Session, payslip_ids: Sequence[int]
) -> dict[int, list[PayslipLineRow]]:
    """Lines of many payslips in payslip order, fetched in few queries."""
    found: dict[int, list[PayslipLineRow]] = defaultdict(list)
    for start in range(0, len(payslip_ids), 5000):
        chunk = payslip_ids[start : start + 5000]
        stmt = (
            select(PayslipLineRow)
            .where(PayslipLineRow.payslip_id.in_(chunk))
            .order_by(PayslipLineRow.payslip_id, PayslipLineRow.kind, PayslipLineRow.position)
        )
        for line in session.scalars(stmt):
            found[line.payslip_id].append(line)
    return found


def payslip_json(row: PayslipRow, lines: Sequence[PayslipLineRow]) -> dict[str, Any]:
    """A stored payslip in the ``payroll calc --json`` month shape."""
    ordered = sorted(lines, key=lambda x: (LINE_KINDS.index(x.kind), x.position))
    by_kind = {
        kind: tuple(Line(x.code, x.amount, x.explanation) for x in ordered if x.kind == kind)
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

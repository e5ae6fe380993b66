"""The ledger's queries behind :class:`payroll.services.ports.ledger.LedgerStore`."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from payroll.db.models import (
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    TermRow,
)
from payroll.domain.ledger import (
    EXPENSE_ALLOWANCE,
    EXPENSE_CODES,
    UNFINALIZED_STATES,
    PayslipFigures,
    RunKey,
    Scope,
    UnfinalizedRun,
)
from payroll.domain.model import Term
from payroll.domain.runs import RunState


def _scope_filter(scope: Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [PayrollRun.month.in_(scope.months)]
    if scope.programs is not None:
        conditions.append(PayrollRun.program_code.in_(scope.programs))
    if scope.district is not None:
        conditions.append(PayrollRun.district_code == scope.district)
    return conditions


_RUN_ORDER = (PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code)


class SqlLedgerStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def terms(self, code: str | None = None, program: str | None = None) -> list[Term]:
        query = select(TermRow).order_by(TermRow.program_code, TermRow.code)
        if code is not None:
            query = query.where(TermRow.code == code)
        if program is not None:
            query = query.where(TermRow.program_code == program)
        return [Term(t.program_code, t.code, t.start, t.end) for t in self.session.scalars(query)]

    def finalized_runs(self, scope: Scope) -> list[RunKey]:
        rows = self.session.execute(
            select(*_RUN_ORDER)
            .where(PayrollRun.state == RunState.FINALIZED, *_scope_filter(scope))
            .order_by(*_RUN_ORDER)
        )
        keys = [RunKey(m, d, p) for m, d, p in rows]
        return [k for k in keys if scope.includes(k.month, k.program, k.district)]

    def unfinalized_runs(self, scope: Scope) -> list[UnfinalizedRun]:
        rows = self.session.execute(
            select(*_RUN_ORDER, PayrollRun.state)
            .where(PayrollRun.state.in_(UNFINALIZED_STATES), *_scope_filter(scope))
            .order_by(*_RUN_ORDER)
        )
        runs = [UnfinalizedRun(*row) for row in rows]
        return [r for r in runs if scope.includes(r.month, r.program, r.district)]

    def finalized_payslips(self, scope: Scope) -> list[PayslipFigures]:
        line = PayslipLineRow
        earning = line.kind == "earning"

        def total(condition: ColumnElement[bool]) -> ColumnElement[int]:
            return func.coalesce(func.sum(case((condition, line.amount), else_=0)), 0)

        keys = (
            PayslipRow.id,
            *_RUN_ORDER,
            Participant.participant_id,
            Participant.name,
            PayslipRow.enrollment_id,
        )
        stored = (
            PayslipRow.gross,
            PayslipRow.total_deductions,
            PayslipRow.net,
            PayslipRow.employer_total,
        )
        query = (
            select(
                *keys,
                total(and_(earning, line.code.not_in(EXPENSE_CODES))),
                total(and_(earning, line.code.in_(EXPENSE_CODES))),
                total(line.kind == "employer"),
                total(line.kind == "deduction"),
                *stored,
            )
            .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .outerjoin(line, line.payslip_id == PayslipRow.id)
            .where(PayrollRun.state == RunState.FINALIZED, *_scope_filter(scope))
            .group_by(*keys, *stored)
            .order_by(*_RUN_ORDER, Participant.participant_id, PayslipRow.enrollment_id)
        )
        result = []
        for row in self.session.execute(query):
            (pid, month, district, program, participant, name, enrollment) = row[:7]
            wages, expense, employer, deductions, gross, total_ded, net, employer_total = row[7:]
            if not scope.includes(month, program, district):
                continue
            result.append(
                PayslipFigures(
                    payslip_id=pid,
                    run=RunKey(month, district, program),
                    participant_id=participant,
                    name=name,
                    enrollment_id=enrollment,
                    items={
                        "wages": int(wages),
                        EXPENSE_ALLOWANCE: int(expense),
                        "employer_insurance": int(employer),
                    },
                    deduction_lines=int(deductions),
                    gross=int(gross),
                    total_deductions=int(total_ded),
                    net=int(net),
                    employer_total=int(employer_total),
                )
            )
        return result

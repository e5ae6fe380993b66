"""Stored payslips, their lines, and a finalized run's payee snapshot.

Behind :class:`payroll.services.ports.payslips.PayslipStore`. Payslips are written in
bulk with their lines; each line keeps the month a retro line corrects (``ref_month``).
Reading a run's lines and its snapshot back is the pay-sheet store's
(:mod:`payroll.db.stores.pay_sheets`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from payroll.db.batches import id_in
from payroll.db.bulk import bulk_insert_ids, bulk_insert_values
from payroll.db.models import (
    EnrollmentRow,
    FinalizedPayee,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
)
from payroll.db.stores.records import payslip_record
from payroll.db.stores.run_lock import lock_open_run
from payroll.db.stores.runs import conflicts
from payroll.domain.model import MonthFacts, Payslip
from payroll.domain.report_records import LINE_KINDS, PayslipRecord
from payroll.domain.retro import RETRO_CODES
from payroll.domain.runs import RunState
from payroll.domain.settlement import Settlement

LINE_COLUMNS = ("payslip_id", "kind", "code", "amount", "explanation", "position", "ref_month")
FACT_NAMES = tuple(f.name for f in fields(MonthFacts))


def facts_json(payslip: Payslip) -> dict[str, Any]:
    """The month facts, plus D (§9) and the notes on absent deductions the payslip prints."""
    facts = {name: getattr(payslip.facts, name) for name in FACT_NAMES}  # flat: no asdict
    facts["worked_hours"] = str(payslip.facts.worked_hours)
    facts["declared_monthly_pay"] = payslip.declared_monthly_pay
    if payslip.notes:
        facts["notes"] = list(payslip.notes)
    if isinstance(payslip.settlement, Settlement):
        # §13's G (총급여): the withholding return's A02 row reports the same figure
        facts["settlement_total_pay"] = payslip.settlement.income_tax.total_pay
    return facts


class SqlPayslipStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- payslips ------------------------------------------------------------------------

    def add(self, run_id: int, computed: Sequence[tuple[int, Payslip]]) -> None:
        """Insert the run's payslips (enrollment id, payslip) and their lines in bulk.

        The run's row is locked first and a finalized run refused; payslips (with ids
        drawn from their sequence) and lines go in by COPY on PostgreSQL, by executemany
        elsewhere.
        """
        if not computed:
            return
        lock_open_run(self.session, run_id)
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
            for enrollment_id, p in computed
        ]
        table = PayslipRow.__table__
        with conflicts(self.session):
            drawn = bulk_insert_ids(self.session, table, rows)  # type: ignore[arg-type]
            lines = [
                (pk, kind, line.code, line.amount, line.explanation, position, line.ref_month)
                for (_enrollment_id, p), pk in zip(computed, drawn, strict=True)
                for kind, group in zip(
                    LINE_KINDS, (p.earnings, p.deductions, p.employer), strict=True
                )
                for position, line in enumerate(group)
            ]
            table = PayslipLineRow.__table__
            bulk_insert_values(self.session, table, LINE_COLUMNS, lines)  # type: ignore[arg-type]

    def of_run(self, run_id: int) -> list[tuple[PayslipRecord, str]]:
        """A run's payslips with their participant ids, by participant id."""
        rows = self.session.execute(
            select(PayslipRow, Participant.participant_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.run_id == run_id)
            .order_by(Participant.participant_id)
        )
        return [(payslip_record(slip), pid) for slip, pid in rows]

    def count(self, run_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count()).select_from(PayslipRow).where(PayslipRow.run_id == run_id)
            )
            or 0
        )

    def enrollments_of_run(self, run_id: int) -> set[int]:
        return set(
            self.session.scalars(
                select(PayslipRow.enrollment_id).where(PayslipRow.run_id == run_id)
            )
        )

    def paid_enrollments(self, month: str) -> set[int]:
        """Enrollments with a payslip of ``month`` (in any run)."""
        return set(
            self.session.scalars(select(PayslipRow.enrollment_id).where(PayslipRow.month == month))
        )

    def retro_amounts(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        """(enrollment, code, corrected month, amount) of every retro line of a run."""
        return earning_lines(self.session, run_id, RETRO_CODES)

    def finalized_enrollments(self, month: str, *, with_retro: bool = False) -> set[int]:
        """Enrollments paid by ``month``'s finalized runs (only those carrying a retro line)."""
        finalized = select(PayrollRun.id).where(
            PayrollRun.month == month, PayrollRun.state == RunState.FINALIZED
        )
        stmt = select(PayslipRow.enrollment_id).where(PayslipRow.run_id.in_(finalized))
        if with_retro:
            stmt = stmt.join(PayslipLineRow, PayslipLineRow.payslip_id == PayslipRow.id).where(
                PayslipLineRow.code.in_(RETRO_CODES)
            )
        return set(self.session.scalars(stmt))

    # -- the payee snapshot of a finalized run -------------------------------------------

    def take_snapshot(self, run_id: int) -> None:
        """Store the run's payees from its payslips and their participants' details."""
        self.session.execute(delete(FinalizedPayee).where(FinalizedPayee.run_id == run_id))
        source = (
            select(
                PayslipRow.run_id,
                PayslipRow.id,
                Participant.participant_id,
                Participant.name,
                Participant.birth_date,
                Participant.bank,
                Participant.account,
                PayslipRow.net,
            )
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.run_id == run_id)
        )
        columns = ("run_id", "payslip_id", "participant_id", "name", "birth_date", "bank")
        self.session.execute(
            insert(FinalizedPayee).from_select([*columns, "account", "net"], source)
        )
        self.session.flush()


def earning_lines(
    session: Session, run_id: int, codes: Collection[str]
) -> list[tuple[int, str, str | None, int]]:
    """(enrollment, code, the month it belongs to, amount) of a run's earning lines with
    one of ``codes``, by enrollment and line order."""
    slips = dict(
        session.execute(
            select(PayslipRow.id, PayslipRow.enrollment_id).where(PayslipRow.run_id == run_id)
        ).all()
    )
    line = PayslipLineRow
    rows = lines_of_slips(
        session,
        slips,
        (line.payslip_id, line.position, line.code, line.ref_month, line.amount),
        line.kind == "earning",
        line.code.in_(codes),
    )
    rows.sort(key=lambda r: (slips[r[0]], r[1]))
    return [(slips[slip], code, ref, amount) for slip, _at, code, ref, amount in rows]


def lines_of_slips(
    session: Session, slip_ids: Collection[int], columns: Sequence[Any], *where: Any
) -> list[Any]:
    """``columns`` of the lines of payslips ``slip_ids`` (meeting ``where``), by payslip,
    kind and position.

    Read by the payslips' ids, an index scan: joined to the run's payslips instead,
    PostgreSQL reads every line of every run (a sequential scan, ~25 ms a run at 16,000
    payslips a month)."""
    line = PayslipLineRow
    order = (line.payslip_id, line.kind, line.position)
    found: list[Any] = []
    for ids in id_in(session, line.payslip_id, slip_ids):
        stmt = select(*columns).where(ids, *where).order_by(*order)
        found.extend(session.execute(stmt))
    return found

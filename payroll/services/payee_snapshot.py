"""A finalized run's payees as they were at finalization (name, bank, account, net pay).

:func:`take_snapshot` runs inside the finalization's transaction; the database refuses to
finalize a run whose snapshot does not match its payslips, and refuses any later change
to the snapshot. :func:`frozen_payees` is what the payment file, the register and the
reconciliation read: it checks the snapshot against the frozen run (count and net total)
and refuses with a clear error when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from payroll.db.models import EnrollmentRow, FinalizedPayee, Participant, PayrollRun, PayslipRow
from payroll.domain.model import PayrollError
from payroll.domain.payee_snapshot import SnapshotFigures, mismatch_message
from payroll.domain.payee_snapshot import snapshot_problems as problems_of


class SnapshotMismatch(PayrollError):
    """A finalized run's payee snapshot, payslips and stored totals do not agree."""


@dataclass(frozen=True)
class FrozenPayee:
    """One payee of a finalized run, with the payslip it is paid from."""

    payee: FinalizedPayee
    payslip: PayslipRow


def take_snapshot(session: Session, run: PayrollRun) -> int:
    """Store the payees of ``run`` (not yet finalized) from its payslips; their count."""
    session.execute(delete(FinalizedPayee).where(FinalizedPayee.run_id == run.id))
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
        .where(PayslipRow.run_id == run.id)
    )
    columns = ("run_id", "payslip_id", "participant_id", "name", "birth_date", "bank", "account")
    session.execute(insert(FinalizedPayee).from_select([*columns, "net"], source))
    session.flush()
    return snapshot_totals(session, run)[0]


def snapshot_totals(session: Session, run: PayrollRun) -> tuple[int, int]:
    """(payees, Σ net pay) of the run's snapshot."""
    payees, payee_net = session.execute(
        select(func.count(), func.coalesce(func.sum(FinalizedPayee.net), 0)).where(
            FinalizedPayee.run_id == run.id
        )
    ).one()
    return int(payees), int(payee_net)


def snapshot_problems(session: Session, run: PayrollRun) -> list[str]:
    """What does not agree between the run's snapshot, its payslips and its totals (Korean)."""
    payees, payee_net = snapshot_totals(session, run)
    slips, slip_net = session.execute(
        select(func.count(), func.coalesce(func.sum(PayslipRow.net), 0)).where(
            PayslipRow.run_id == run.id
        )
    ).one()
    joined = session.scalar(
        select(func.count())
        .select_from(FinalizedPayee)
        .join(PayslipRow, PayslipRow.id == FinalizedPayee.payslip_id)
        .where(FinalizedPayee.run_id == run.id, PayslipRow.run_id == run.id)
    )
    figures = SnapshotFigures(payees, payee_net, int(slips), int(slip_net), int(joined or 0))
    return problems_of(figures, run.participant_count, run.net)


def frozen_payees(session: Session, run: PayrollRun) -> list[FrozenPayee]:
    """The snapshot of a finalized run by name, checked against the frozen run."""
    problems = snapshot_problems(session, run)
    if problems:
        raise SnapshotMismatch(
            mismatch_message(
                f"run {run.id} ({run.month} {run.district_code} {run.program_code})", problems
            )
        )
    rows = session.execute(
        select(FinalizedPayee, PayslipRow)
        .join(PayslipRow, PayslipRow.id == FinalizedPayee.payslip_id)
        .where(FinalizedPayee.run_id == run.id)
        .order_by(FinalizedPayee.name, FinalizedPayee.participant_id)
    ).all()
    return [FrozenPayee(payee, slip) for payee, slip in rows]

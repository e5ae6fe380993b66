"""A finalized run's payees as they were at finalization (name, bank, account, net pay).

:func:`take_snapshot` runs inside the finalization's transaction; the database refuses to
finalize a run whose snapshot does not match its payslips, and refuses any later change
to the snapshot. :func:`frozen_payees` is what the payment file, the register and the
reconciliation read: it checks the snapshot against the frozen run (count and net total)
and refuses with a clear error when they differ.
"""

from __future__ import annotations

from payroll.domain.model import PayrollError
from payroll.domain.payee_snapshot import FrozenPayee, SnapshotPayee, mismatch_message
from payroll.domain.payee_snapshot import snapshot_problems as problems_of
from payroll.domain.runs import RunRecord
from payroll.services.unit_of_work import UnitOfWork

__all__ = ["FrozenPayee", "SnapshotMismatch", "frozen_payees", "take_snapshot"]


class SnapshotMismatch(PayrollError):
    """A finalized run's payee snapshot, payslips and stored totals do not agree."""


def take_snapshot(uow: UnitOfWork, run: RunRecord) -> int:
    """Store the payees of ``run`` (not yet finalized) from its payslips; their count."""
    with uow:
        uow.payslips.take_snapshot(run.id)
        return snapshot_totals(uow, run)[0]


def snapshot_totals(uow: UnitOfWork, run: RunRecord) -> tuple[int, int]:
    """(payees, Σ net pay) of the run's snapshot."""
    with uow:
        figures = uow.pay_sheets.snapshot_figures(run.id)
    return figures.payees, figures.payee_net


def snapshot_problems(uow: UnitOfWork, run: RunRecord) -> list[str]:
    """What does not agree between the run's snapshot, its payslips and its totals (Korean)."""
    with uow:
        figures = uow.pay_sheets.snapshot_figures(run.id)
    return problems_of(figures, run.participant_count, run.net)


def snapshot_payees(uow: UnitOfWork, run: RunRecord) -> list[SnapshotPayee]:
    """The snapshot of a finalized run by name, checked against the frozen run."""
    with uow:
        problems = snapshot_problems(uow, run)
        if problems:
            where = f"run {run.id} ({run.month} {run.district_code} {run.program_code})"
            raise SnapshotMismatch(mismatch_message(where, problems))
        return uow.pay_sheets.snapshot(run.id)


def frozen_payees(uow: UnitOfWork, run: RunRecord) -> list[FrozenPayee]:
    """The checked snapshot of a finalized run with the payslip each payee is paid from."""
    with uow:
        payees = snapshot_payees(uow, run)
        slips = {slip.id: slip for slip in uow.pay_sheets.payslips(run.id)}
    return [FrozenPayee(p, slips[p.payslip_id]) for p in payees]

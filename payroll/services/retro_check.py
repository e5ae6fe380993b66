"""The §16 invariant: each correction of a finalized month is paid once, exactly.

For an enrollment e and a finalized month M, the retro lines for (e, M) in finalized runs
must add up to M recalculated with the corrected record less M as finalized. Approval and
finalization refuse a run whose retro lines no longer match what is due (an earlier run
was finalized, or a correction arrived, after it was calculated), and ``reconcile`` names
every (participant, month) where the invariant does not hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from payroll.db.catalog_store import holiday_calendar, read_catalog, withholding_table
from payroll.db.models import (
    AttendanceCorrection,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
)
from payroll.domain.money import won
from payroll.domain.retro import (
    RETRO_CODE,
    RETRO_CODES,
    MonthPay,
    corrected_attendance,
    recalculated_pay,
    retro_lines,
)
from payroll.services.run_inputs import EnrolledParticipant, load_inputs

_LAST = "9999-12"


@dataclass(frozen=True)
class RetroDifference:
    """A (participant, corrected month) whose finalized retro lines do not add up."""

    participant_id: str
    month: str
    due: int  # recalculated less finalized own pay
    paid: int  # retro lines in finalized runs
    pending: bool  # not paid at all yet and no later finalized run: paid by the next run

    @property
    def message(self) -> str:
        return (
            f"{self.participant_id} {self.month} 정정분: 지급해야 할 {won(self.due)}, "
            f"확정된 소급 정산 {won(self.paid)} (차이 {won(self.due - self.paid)})"
        )


def _members(
    session: Session, enrollment_ids: Sequence[int]
) -> list[tuple[EnrollmentRow, Participant]]:
    """Enrollments with their participants (only those with corrections: few)."""
    ids = sorted(set(enrollment_ids))
    found: list[tuple[EnrollmentRow, Participant]] = []
    for start in range(0, len(ids), 900):
        found.extend(
            session.execute(
                select(EnrollmentRow, Participant)
                .join(Participant, Participant.id == EnrollmentRow.participant_pk)
                .where(EnrollmentRow.id.in_(ids[start : start + 900]))
            ).all()
        )
    return found


def _corrected(session: Session, slips: Select[tuple[int]]) -> set[int]:
    """Enrollments among ``slips`` (a select of enrollment ids) with any correction."""
    return set(
        session.scalars(
            select(AttendanceCorrection.enrollment_id)
            .where(AttendanceCorrection.enrollment_id.in_(slips))
            .distinct()
        )
    )


def stale_participants(session: Session, run: PayrollRun) -> list[str]:
    """Participants of ``run`` whose stored retro lines differ from what is due now."""
    stored: dict[int, dict[tuple[str, str | None], int]] = defaultdict(dict)
    for enrollment, code, ref, amount in session.execute(
        select(
            PayslipRow.enrollment_id,
            PayslipLineRow.code,
            PayslipLineRow.ref_month,
            PayslipLineRow.amount,
        )
        .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
        .where(
            PayslipRow.run_id == run.id,
            PayslipLineRow.kind == "earning",
            PayslipLineRow.code.in_(RETRO_CODES),
        )
    ):
        key = (code, ref)
        stored[enrollment][key] = stored[enrollment].get(key, 0) + amount
    in_run = select(PayslipRow.enrollment_id).where(PayslipRow.run_id == run.id)
    candidates = sorted(_corrected(session, in_run) | set(stored))
    if not candidates:
        return []
    people = load_inputs(session, run.month, _members(session, candidates))
    catalog = read_catalog(session)
    calendar, table = holiday_calendar(session), withholding_table(session)
    stale = []
    for person in people:
        expected: dict[tuple[str, str | None], int] = {}
        for line in _due_lines(person, run.month, catalog.rate_book, calendar, table):
            key = (line.adjustment.code, line.month)
            expected[key] = expected.get(key, 0) + line.adjustment.amount
        if expected != stored.get(person.enrollment_id, {}):
            stale.append(person.participant.participant_id)
    return sorted(stale)


def _due_lines(person: EnrolledParticipant, month: str, rates, calendar, table):  # type: ignore[no-untyped-def]
    percent = Decimal(str(person.pay_cut_percent)) if person.pay_cut_percent else None
    return retro_lines(
        person.enrollment,
        person.attendance,
        person.corrections,
        month,
        person.finalized,
        person.retro_paid,
        rates,
        calendar,
        table,
        percent,
    )


def retro_differences(session: Session, month: str) -> list[RetroDifference]:
    """Every (participant, corrected month) touched by ``month``'s finalized runs (they
    carry retro lines for it, or it is the corrected month) where paid ≠ due.

    A difference is ``pending`` when a correction was recorded after the last finalized
    run that could have paid it was calculated: the next run pays it.
    """
    finalized = select(PayrollRun.id).where(
        PayrollRun.month == month, PayrollRun.state == "finalized"
    )
    in_month = select(PayslipRow.enrollment_id).where(PayslipRow.run_id.in_(finalized))
    carried = set(
        session.scalars(
            select(PayslipRow.enrollment_id)
            .join(PayslipLineRow, PayslipLineRow.payslip_id == PayslipRow.id)
            .where(PayslipRow.run_id.in_(finalized), PayslipLineRow.code.in_(RETRO_CODES))
        )
    )
    candidates = sorted(_corrected(session, in_month) | carried)
    if not candidates:
        return []
    catalog = read_catalog(session)
    calendar, table = holiday_calendar(session), withholding_table(session)
    runs = _finalized_runs(session, candidates)
    corrected_at = _last_corrections(session, candidates)
    out = []
    for person in load_inputs(session, _LAST, _members(session, candidates)):
        fixed = corrected_attendance(person.attendance, person.corrections)
        cut = Decimal(str(person.pay_cut_percent)) if person.pay_cut_percent else None
        months = {m for m in person.retro_paid if m <= month}
        if month in person.finalized and person.corrections:
            months.add(month)
        for past in sorted(m for m in months if m in person.finalized):
            due = (
                recalculated_pay(
                    person.enrollment, fixed, past, catalog.rate_book, calendar, table, cut
                )
                - person.finalized[past]
            )
            paid = person.retro_paid.get(past, MonthPay())
            if due == paid:
                continue
            calculated = [at for m, at in runs.get(person.enrollment_id, ()) if m > past]
            last = corrected_at.get(person.enrollment_id)
            pending = not calculated or (last is not None and last > max(calculated))
            out.append(
                RetroDifference(
                    person.participant.participant_id, past, due.total, paid.total, pending
                )
            )
    return out


def _naive(at: datetime | None) -> datetime | None:
    """UTC timestamps compared alike on both backends (SQLite returns them naive)."""
    return at.replace(tzinfo=None) if at is not None and at.tzinfo else at


def _finalized_runs(
    session: Session, enrollment_ids: Sequence[int]
) -> dict[int, list[tuple[str, datetime]]]:
    """Each enrollment's finalized payslip months with their run's calculation time."""
    runs: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for enrollment_id, slip_month, at in session.execute(
        select(PayslipRow.enrollment_id, PayslipRow.month, PayrollRun.calculated_at)
        .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
        .where(PayrollRun.state == "finalized", PayslipRow.enrollment_id.in_(enrollment_ids))
    ):
        runs[enrollment_id].append((slip_month, _naive(at) or datetime.min))
    return runs


def _last_corrections(session: Session, enrollment_ids: Sequence[int]) -> dict[int, datetime]:
    found: dict[int, datetime] = {}
    for enrollment_id, at in session.execute(
        select(AttendanceCorrection.enrollment_id, func.max(AttendanceCorrection.recorded_at))
        .where(AttendanceCorrection.enrollment_id.in_(enrollment_ids))
        .group_by(AttendanceCorrection.enrollment_id)
    ):
        found[enrollment_id] = _naive(at) or datetime.min
    return found


__all__ = ["RETRO_CODE", "RetroDifference", "retro_differences", "stale_participants"]

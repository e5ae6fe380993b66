"""Payroll runs, their exceptions, and what a run reads (enrollments, attendance, pay).

Behind :class:`payroll.services.ports.runs.RunStore` and ``RunInputStore``. A write
that loses a race with another process (a unique key taken meanwhile, SQLite's lock)
raises :class:`payroll.domain.runs.RunConflict`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from payroll.db.batches import batches, id_in
from payroll.db.models import (
    AttendanceCorrection,
    AttendanceRow,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    RunException,
)
from payroll.db.stores.records import record, run_record
from payroll.db.stores.run_lock import lock_open_run
from payroll.db.stores.run_rows import MEMBER_COLUMNS, roster_overlapping, run_member
from payroll.db.text_limits import check_text
from payroll.domain.calendar import month_range
from payroll.domain.carryover import CARRY_CODES, TAXABLE_CARRY_CODES
from payroll.domain.model import AttendanceRecord, Status
from payroll.domain.report_records import ExceptionRecord
from payroll.domain.retro import RETRO_CODE, RETRO_CODES, MonthPay
from payroll.domain.run_member import RunMember
from payroll.domain.runs import OPEN_STATES, RunConflict, RunRecord, RunState, RunTotals


@contextmanager
def conflicts(session: Session) -> Iterator[None]:
    """Writes in the block, flushed; a lost race is raised as :class:`RunConflict`."""
    try:
        yield
        session.flush()
    except (IntegrityError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and "locked" not in str(exc.orig):
            raise
        raise RunConflict(str(exc.orig)) from exc


class SqlRunStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- runs ----------------------------------------------------------------------------

    def get(self, run_id: int) -> RunRecord | None:
        row = self.session.get(PayrollRun, run_id)
        return run_record(row) if row else None

    def find(self, month: str, district: str, program: str) -> RunRecord | None:
        row = self.session.scalars(
            select(PayrollRun).where(
                PayrollRun.month == month,
                PayrollRun.district_code == district,
                PayrollRun.program_code == program,
            )
        ).first()
        return run_record(row) if row else None

    def list(self, month: str | None = None, state: RunState | None = None) -> list[RunRecord]:
        stmt = select(PayrollRun).order_by(
            PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code
        )
        if month:
            stmt = stmt.where(PayrollRun.month == month)
        if state:
            stmt = stmt.where(PayrollRun.state == state)
        return [run_record(r) for r in self.session.scalars(stmt)]

    def first_month(self) -> str | None:
        return self.session.scalar(select(func.min(PayrollRun.month)))

    def add(self, month: str, district: str, program: str) -> int:
        row = PayrollRun(
            month=month, district_code=district, program_code=program, state=RunState.CALCULATED
        )
        with conflicts(self.session):
            self.session.add(row)
        return row.id

    def save_calculation(self, run_id: int, totals: RunTotals, by: str, at: datetime) -> None:
        check_text(by, PayrollRun.calculated_by, "--by (이름)", required=True)
        row = self.session.get_one(PayrollRun, run_id)
        with conflicts(self.session):
            row.state = RunState.CALCULATED
            self._set_totals(row, totals)
            row.calculated_at, row.calculated_by = at, by
            row.approved_by = row.approved_at = None

    def set_state(self, run_id: int, state: RunState, by: str, at: datetime) -> None:
        # who acts must fit the column: refused in Korean here, before PostgreSQL would
        check_text(by, PayrollRun.approved_by, "--by (이름)", required=True)
        row = self.session.get_one(PayrollRun, run_id)
        row.state = state
        if state is RunState.APPROVED:
            row.approved_by, row.approved_at = by, at
        elif state is RunState.FINALIZED:
            row.finalized_by, row.finalized_at = by, at
        elif state is RunState.CANCELLED:
            self._set_totals(row, RunTotals())
        self.session.flush()

    @staticmethod
    def _set_totals(row: PayrollRun, totals: RunTotals) -> None:
        row.participant_count, row.exception_count = totals.participants, totals.exceptions
        row.gross, row.total_deductions = totals.gross, totals.deductions
        row.net, row.employer_total = totals.net, totals.employer

    def clear(self, run_id: int) -> None:
        """Remove the run's payslips, their lines and its exceptions (run row locked)."""
        lock_open_run(self.session, run_id)
        slip_ids = select(PayslipRow.id).where(PayslipRow.run_id == run_id)
        s = self.session
        # lines and payslips are written and read by Core: none are in the session to update
        plain = {"synchronize_session": False}
        s.execute(
            delete(PayslipLineRow).where(PayslipLineRow.payslip_id.in_(slip_ids)),
            execution_options=plain,
        )
        s.execute(delete(PayslipRow).where(PayslipRow.run_id == run_id), execution_options=plain)
        s.execute(delete(RunException).where(RunException.run_id == run_id))

    def earliest_open_before(self, run: RunRecord) -> RunRecord | None:
        row = self.session.scalars(
            select(PayrollRun)
            .where(
                PayrollRun.district_code == run.district_code,
                PayrollRun.program_code == run.program_code,
                PayrollRun.month < run.month,
                PayrollRun.state.in_(OPEN_STATES),
            )
            .order_by(PayrollRun.month)
        ).first()
        return run_record(row) if row else None

    def months_before(self, run: RunRecord) -> set[str]:
        """Months of the runs of ``run``'s district and program before its month."""
        return set(
            self.session.scalars(
                select(PayrollRun.month).where(
                    PayrollRun.district_code == run.district_code,
                    PayrollRun.program_code == run.program_code,
                    PayrollRun.month < run.month,
                )
            )
        )

    # -- exceptions ----------------------------------------------------------------------

    def exceptions(self, run_id: int) -> list[tuple[ExceptionRecord, str]]:
        rows = self.session.execute(
            select(RunException, Participant.participant_id)
            .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(RunException.run_id == run_id)
            .order_by(Participant.participant_id)
        )
        return [(record(ExceptionRecord, x), pid) for x, pid in rows]

    def add_exceptions(self, run_id: int, records: Sequence[ExceptionRecord]) -> None:
        with conflicts(self.session):
            for x in records:
                self.session.add(
                    RunException(
                        run_id=run_id,
                        enrollment_id=x.enrollment_id,
                        reason=x.reason,
                        excluded=x.excluded,
                        excluded_reason=x.excluded_reason,
                        excluded_by=x.excluded_by,
                    )
                )

    def open_exception_count(self, run_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(RunException)
                .where(RunException.run_id == run_id, RunException.excluded.is_(False))
            )
            or 0
        )

    def exclude(self, run_id: int, enrollment_id: int, reason: str, by: str) -> None:
        self.session.execute(
            update(RunException)
            .where(RunException.run_id == run_id, RunException.enrollment_id == enrollment_id)
            .values(excluded=True, excluded_reason=reason, excluded_by=by)
        )

    def excepted_enrollments(self, month: str) -> set[int]:
        """Enrollments held as an exception in a run of ``month``."""
        return set(
            self.session.scalars(
                select(RunException.enrollment_id).join(PayrollRun).where(PayrollRun.month == month)
            )
        )


def _of_month(
    stmt: Select[Any], month: str, district: str | None = None, program: str | None = None
) -> Select[Any]:
    return roster_overlapping(stmt, *month_range(month), district, program)


class SqlRunInputStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def members(self, month: str, district: str | None, program: str | None) -> list[RunMember]:
        """Roster enrollments overlapping ``month`` by district, program, participant id."""
        stmt = _of_month(select(*MEMBER_COLUMNS), month, district, program).order_by(
            Participant.district_code, EnrollmentRow.program_code, Participant.participant_id
        )
        return [run_member(row, row) for row in self.session.execute(stmt)]

    def sizes(
        self, month: str, district: str | None, program: str | None
    ) -> dict[tuple[str, str], int]:
        """How many :meth:`members` each (district, program) has, in the same order."""
        keys = (Participant.district_code, EnrollmentRow.program_code)
        stmt = _of_month(select(*keys, func.count()), month, district, program)
        rows = self.session.execute(stmt.group_by(*keys).order_by(*keys))
        return {(d, p): int(n) for d, p, n in rows}

    def members_by_id(self, enrollment_ids: Sequence[int]) -> list[RunMember]:
        ids = sorted(set(enrollment_ids))
        found = []
        for chunk in batches(ids):
            found.extend(
                run_member(row, row)
                for row in self.session.execute(
                    select(*MEMBER_COLUMNS)
                    .join(Participant, Participant.id == EnrollmentRow.participant_pk)
                    .where(EnrollmentRow.id.in_(chunk))
                )
            )
        return found

    def has_enrollments(self, district: str, program: str, month: str) -> bool:
        count = self.session.scalar(_of_month(select(func.count()), month, district, program))
        return bool(count)

    def enrolled(self, month: str) -> list[tuple[str, int]]:
        """(participant id, enrollment id) of every roster enrollment overlapping ``month``."""
        rows = self.session.execute(
            _of_month(select(Participant.participant_id, EnrollmentRow.id), month)
        )
        return [(pid, eid) for pid, eid in rows]

    def _days(
        self, model: type[AttendanceRow] | type[AttendanceCorrection], ids: Sequence[int]
    ) -> dict[int, list[AttendanceRecord]]:
        found: dict[int, list[AttendanceRecord]] = defaultdict(list)
        for chosen in id_in(self.session, model.enrollment_id, ids):
            # days after an early end (E') kept under a finalized month are not the pay's
            for enrollment_id, day, status, hours in self.session.execute(
                select(model.enrollment_id, model.day, model.status, model.hours)
                .join(EnrollmentRow, EnrollmentRow.id == model.enrollment_id)
                .where(
                    chosen,
                    model.day <= EnrollmentRow.end,
                )
                .order_by(model.day)
            ):
                found[enrollment_id].append(AttendanceRecord(day, Status(status), hours))
        return found

    def attendance(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]:
        return self._days(AttendanceRow, enrollment_ids)

    def corrections(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]:
        return self._days(AttendanceCorrection, enrollment_ids)

    def corrected(self, enrollment_ids: Sequence[int]) -> set[int]:
        """Those of ``enrollment_ids`` with any correction."""
        found: set[int] = set()
        for chunk in batches(sorted(set(enrollment_ids))):
            found.update(
                self.session.scalars(
                    select(AttendanceCorrection.enrollment_id)
                    .where(AttendanceCorrection.enrollment_id.in_(chunk))
                    .distinct()
                )
            )
        return found

    def last_corrections(self, enrollment_ids: Sequence[int]) -> dict[int, datetime]:
        found: dict[int, datetime] = {}
        for chunk in batches(list(enrollment_ids)):
            for enrollment_id, at in self.session.execute(
                select(
                    AttendanceCorrection.enrollment_id, func.max(AttendanceCorrection.recorded_at)
                )
                .where(AttendanceCorrection.enrollment_id.in_(chunk))
                .group_by(AttendanceCorrection.enrollment_id)
            ):
                found[enrollment_id] = _naive(at) or datetime.min
        return found

    def finalized_pay(
        self, enrollment_ids: Sequence[int]
    ) -> list[tuple[int, str, str | None, MonthPay]]:
        """Finalized pay of enrollments, split for §16: (enrollment, payslip month, None, the
        payslip's own pay) and (enrollment, payslip month, corrected month, a retro line)."""
        out: list[tuple[int, str, str | None, MonthPay]] = []
        for chunk in batches(list(enrollment_ids)):
            out.extend(self._finalized_pay(chunk))
        return out

    def _finalized_pay(
        self, enrollment_ids: Sequence[int]
    ) -> list[tuple[int, str, str | None, MonthPay]]:
        out: list[tuple[int, str, str | None, MonthPay]] = []
        own: dict[int, tuple[int, str, MonthPay]] = {}
        for slip in self.session.scalars(
            select(PayslipRow)
            .join(PayrollRun, _finalized())
            .where(PayslipRow.enrollment_id.in_(enrollment_ids))
        ):
            own[slip.id] = (
                slip.enrollment_id,
                slip.month,
                MonthPay(slip.taxable, slip.non_taxable),
            )
        retro = (
            select(
                PayslipLineRow.payslip_id,
                PayslipLineRow.code,
                PayslipLineRow.ref_month,
                PayslipLineRow.amount,
            )
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .join(PayrollRun, _finalized())
            .where(
                PayslipRow.enrollment_id.in_(enrollment_ids),
                PayslipLineRow.kind == "earning",
                PayslipLineRow.code.in_((*RETRO_CODES, *CARRY_CODES)),
            )
        )
        for slip_id, code, ref_month, amount in self.session.execute(retro):
            enrollment_id, slip_month, pay = own[slip_id]
            taxable = code in (RETRO_CODE, *TAXABLE_CARRY_CODES)
            line = MonthPay(amount, 0) if taxable else MonthPay(0, amount)
            own[slip_id] = (enrollment_id, slip_month, pay - line)
            if code in RETRO_CODES:  # carried-over lines are not the month's own pay either
                out.append((enrollment_id, slip_month, ref_month or slip_month, line))
        out.extend((e, m, None, pay) for e, m, pay in own.values())
        return out

    def finalized_slips(
        self, enrollment_ids: Sequence[int], before: str
    ) -> list[tuple[int, int, str, int, int]]:
        """(payslip id, enrollment, month, insurable, taxable) of finalized payslips of the
        enrollments for months before ``before``."""
        found = []
        for chunk in batches(list(enrollment_ids)):
            found.extend(
                (s.id, s.enrollment_id, s.month, s.insurable, s.taxable)
                for s in self.session.scalars(
                    select(PayslipRow)
                    .join(PayrollRun, _finalized())
                    .where(PayslipRow.enrollment_id.in_(chunk), PayslipRow.month < before)
                )
            )
        return found

    def finalized_year_slips(
        self, participant_pks: Sequence[int], year: str
    ) -> list[tuple[int, int, int, date, str]]:
        """(payslip id, taxable, participant, enrollment end, run district) of the
        participants' finalized payslips in ``year``."""
        found = []
        for chunk in batches(list(participant_pks)):
            found.extend(
                tuple(r)
                for r in self.session.execute(
                    select(
                        PayslipRow.id,
                        PayslipRow.taxable,
                        EnrollmentRow.participant_pk,
                        EnrollmentRow.end,
                        PayrollRun.district_code,
                    )
                    .join(PayrollRun, _finalized())
                    .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                    .where(
                        EnrollmentRow.participant_pk.in_(chunk),
                        PayslipRow.month >= f"{year}-01",
                        PayslipRow.month <= f"{year}-12",
                    )
                )
            )
        return found  # type: ignore[return-value]

    def deduction_amounts(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = defaultdict(dict)
        for chunk in batches(list(payslip_ids)):
            for payslip_id, code, amount in self.session.execute(
                select(PayslipLineRow.payslip_id, PayslipLineRow.code, PayslipLineRow.amount).where(
                    PayslipLineRow.payslip_id.in_(chunk), PayslipLineRow.kind == "deduction"
                )
            ):
                lines = found[payslip_id]
                lines[code] = lines.get(code, 0) + amount
        return found

    def finalized_run_times(
        self, enrollment_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, datetime]]]:
        """Each enrollment's finalized payslip months with their run's calculation time."""
        runs: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        for chunk in batches(list(enrollment_ids)):
            for enrollment_id, slip_month, at in self.session.execute(
                select(PayslipRow.enrollment_id, PayslipRow.month, PayrollRun.calculated_at)
                .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
                .where(PayrollRun.state == RunState.FINALIZED, PayslipRow.enrollment_id.in_(chunk))
            ):
                runs[enrollment_id].append((slip_month, _naive(at) or datetime.min))
        return runs


def _finalized():  # type: ignore[no-untyped-def]
    return and_(PayrollRun.id == PayslipRow.run_id, PayrollRun.state == RunState.FINALIZED)


def _naive(at: datetime | None) -> datetime | None:
    """UTC timestamps compared alike on both backends (SQLite returns them naive)."""
    return at.replace(tzinfo=None) if at is not None and at.tzinfo else at

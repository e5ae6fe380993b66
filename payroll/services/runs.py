"""Monthly payroll runs: calculate → approve → finalize (or cancel), per (month, district, program).

A run is one database transaction per (month, district, program): killed at any point
it leaves either the old results or the new ones, and calculating again gives the same
stored results. The database's unique constraints make sure no enrollment is paid twice
for a month, and its triggers refuse any change to a finalized run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, object_session

from payroll.db.catalog_store import holiday_calendar, read_catalog, withholding_table
from payroll.db.engine import transaction
from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
    RunException,
)
from payroll.db.stores.enrollments import SqlEnrollmentStore
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.deductions import TaxTable
from payroll.domain.engine import calculate_month
from payroll.domain.labels import RUN_STATE_NAMES
from payroll.domain.model import Adjustment, PayrollError, Payslip, RateBook
from payroll.domain.money import won
from payroll.domain.retro import corrected_attendance, pay_cut, retro_lines
from payroll.formats.inputs import InputError, parse_month
from payroll.reference.banks import payee_problem
from payroll.services import audit, city_settings, lookup
from payroll.services.payee_snapshot import take_snapshot
from payroll.services.payslip_store import insert_payslips
from payroll.services.retro_check import stale_participants
from payroll.services.run_inputs import EnrolledParticipant, load_inputs, run_groups
from payroll.services.run_order import skipped_months

PAY_CUT_CODE = "participation_pay_cut"
Progress = Callable[[int], None]


STATE_NAMES = RUN_STATE_NAMES


class RunError(PayrollError):
    """A run operation refused: wrong state, unknown run, open exceptions."""


@dataclass(frozen=True)
class RunSummary:
    """What a run holds, for listings and the CLI."""

    id: int
    month: str
    district: str
    program: str
    state: str
    participants: int
    exceptions: int
    gross: int
    deductions: int
    net: int
    employer: int
    note: str = ""
    district_name: str = ""  # 종로구
    program_name: str = ""  # 서울 동행일자리


@dataclass
class Calculated:
    payslips: list[tuple[int, Payslip, dict[str, str]]] = field(default_factory=list)
    exceptions: dict[int, str] = field(default_factory=dict)


def summary(run: PayrollRun, note: str = "") -> RunSummary:
    session = object_session(run)
    district = session.get(District, run.district_code) if session else None
    program = session.get(ProgramRow, run.program_code) if session else None
    return RunSummary(
        run.id,
        run.month,
        run.district_code,
        run.program_code,
        run.state,
        run.participant_count,
        run.exception_count,
        run.gross,
        run.total_deductions,
        run.net,
        run.employer_total,
        note,
        district.name if district else run.district_code,
        program.name if program else run.program_code,
    )


# --- calculate -----------------------------------------------------------------------


def calculate_runs(
    engine: Engine,
    month: str,
    district: str | None = None,
    program: str | None = None,
    progress: Progress | None = None,
    actor: str = "system",
) -> list[RunSummary]:
    """Calculate every run of ``month`` (optionally one district / program).

    Runs already finalized are left as they are; any other run is replaced.
    """
    month = parse_month(month)
    with transaction(engine) as session:
        district = resolve_district(session, district) if district else None
        program = lookup.program_code(session, program) if program else None
        catalog = read_catalog(session)
        calendar = holiday_calendar(session)
        withholding = withholding_table(session)
        groups = run_groups(session, month, district, program)
    results = []
    for (district_code, program_code), members in groups.items():
        try:
            results.append(
                _calculate_run(
                    engine,
                    month,
                    district_code,
                    program_code,
                    members,
                    catalog.rate_book,
                    calendar,
                    withholding,
                    progress,
                    actor,
                )
            )
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and "locked" not in str(exc.orig):
                raise
            raise RunError(
                f"{month} {district_code} {program_code}: 다른 프로세스가 같은 급여를 동시에 "
                "계산해 이 계산은 저장하지 않았습니다; `payroll run list` 로 결과를 확인하세요 "
                "(another process calculated the same run at the same time)"
            ) from None
    return results


def _calculate_run(
    engine: Engine,
    month: str,
    district: str,
    program: str,
    members: Sequence[tuple[EnrollmentRow, Participant]],
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    progress: Progress | None,
    actor: str,
) -> RunSummary:
    with transaction(engine) as session:
        run = _find_run(session, month, district, program)
        if run is not None and run.state == "finalized":
            if progress:
                progress(len(members))
            return summary(run, "이미 확정됨; 바꾸지 않음")
        people = load_inputs(session, month, members)
        result = Calculated()
        for person in people:
            unpayable = payee_problem(person.participant.bank_code, person.participant.account)
            if unpayable:
                result.exceptions[person.enrollment_id] = unpayable
                if progress:
                    progress(1)
                continue
            try:
                result.payslips.append(
                    (
                        person.enrollment_id,
                        *calculate_person(person, month, rates, calendar, withholding),
                    )
                )
            except PayrollError as exc:
                result.exceptions[person.enrollment_id] = str(exc)
            if progress:
                progress(1)
        run = _store(session, run, month, district, program, result, actor)
        return summary(run)


def calculate_person(
    person: EnrolledParticipant,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
) -> tuple[Payslip, dict[str, str]]:
    """One participant-month with its retro and pay-cut adjustments; ref months of retro lines.

    The month is calculated from the corrected record (§16: weekly allowances and leave
    accruals follow the corrections of earlier months).
    """
    percent = Decimal(str(person.pay_cut_percent)) if person.pay_cut_percent else None
    retro = retro_lines(
        person.enrollment,
        person.attendance,
        person.corrections,
        month,
        person.finalized,
        person.retro_paid,
        rates,
        calendar,
        withholding,
        percent,
    )
    attendance = (
        corrected_attendance(person.attendance, person.corrections)
        if person.corrections
        else person.attendance
    )
    adjustments: list[Adjustment] = [r.adjustment for r in retro]

    def payslip_with(adjustments: list[Adjustment]) -> Payslip:
        return calculate_month(
            person.enrollment,
            attendance,
            month,
            rates,
            calendar,
            withholding,
            adjustments,
            history=person.history,
            year_to_date=person.year_to_date,
        )

    payslip = payslip_with(adjustments)
    if percent:
        own = payslip.taxable - sum(a.amount for a in adjustments if a.taxable)
        cut = pay_cut(own, percent)
        if cut:
            adjustments.append(
                Adjustment(
                    PAY_CUT_CODE,
                    -cut,
                    f"참여횟수 제한 감액: {won(own)} × {percent.normalize():f}%",
                )
            )
            payslip = payslip_with(adjustments)
    refs = {}
    first_adjustment = (
        next(
            (i for i, line in enumerate(payslip.earnings) if line.code == retro[0].adjustment.code),
            None,
        )
        if retro
        else None
    )
    if first_adjustment is not None:
        for offset, line in enumerate(retro):
            refs[f"earning:{first_adjustment + offset}"] = line.month
    return payslip, refs


def _find_run(session: Session, month: str, district: str, program: str) -> PayrollRun | None:
    return session.scalars(
        select(PayrollRun).where(
            PayrollRun.month == month,
            PayrollRun.district_code == district,
            PayrollRun.program_code == program,
        )
    ).first()


def _store(
    session: Session,
    run: PayrollRun | None,
    month: str,
    district: str,
    program: str,
    result: Calculated,
    actor: str,
) -> PayrollRun:
    """Replace the run's payslips and exceptions with ``result`` (same transaction)."""
    now = datetime.now(UTC)
    previous_state = None
    exclusions: dict[int, RunException] = {}
    if run is None:
        run = PayrollRun(
            month=month, district_code=district, program_code=program, state="calculated"
        )
        session.add(run)
        session.flush()
    else:
        previous_state = run.state
        exclusions = {
            x.enrollment_id: x
            for x in session.scalars(
                select(RunException).where(RunException.run_id == run.id, RunException.excluded)
            )
        }
        _clear(session, run.id)
    insert_payslips(session, run.id, result.payslips)
    for enrollment_id, reason in sorted(result.exceptions.items()):
        kept = exclusions.get(enrollment_id)
        session.add(
            RunException(
                run_id=run.id,
                enrollment_id=enrollment_id,
                reason=reason,
                excluded=kept is not None,
                excluded_reason=kept.excluded_reason if kept else None,
                excluded_by=kept.excluded_by if kept else None,
            )
        )
    slips = [p for _e, p, _r in result.payslips]
    run.state = "calculated"
    run.participant_count = len(slips)
    run.exception_count = len(result.exceptions)
    run.gross = sum(p.gross for p in slips)
    run.total_deductions = sum(p.total_deductions for p in slips)
    run.net = sum(p.net for p in slips)
    run.employer_total = sum(line.amount for p in slips for line in p.employer)
    run.calculated_at = now
    run.calculated_by = actor
    run.approved_by = run.approved_at = None
    audit.record(
        session,
        actor,
        "run.calculated",
        "payroll_run",
        run.id,
        month=month,
        district=district,
        program=program,
        previous_state=previous_state,
        participants=run.participant_count,
        exceptions=run.exception_count,
        gross=run.gross,
        net=run.net,
    )
    return run


def _clear(session: Session, run_id: int) -> None:
    slip_ids = select(PayslipRow.id).where(PayslipRow.run_id == run_id)
    session.execute(delete(PayslipLineRow).where(PayslipLineRow.payslip_id.in_(slip_ids)))
    session.execute(delete(PayslipRow).where(PayslipRow.run_id == run_id))
    session.execute(delete(RunException).where(RunException.run_id == run_id))


# --- state changes -------------------------------------------------------------------


def resolve_district(session: Session, value: str) -> str:
    """A district by code (11110) or Korean name (종로구, 종로, 서울 종로구)."""
    return lookup.district_code(session, value)


class UnknownRun(RunError, InputError):
    """A run reference that names no run (bad input: exit code 2)."""


def find_run(session: Session, ref: str) -> PayrollRun:
    """A run by id (``12``) or key ``MONTH/DISTRICT/PROGRAM``: month in any form
    :func:`parse_month` reads, district and program by code or Korean name
    (``2025-03/종로구/매력일자리``)."""
    run: PayrollRun | None
    ref = ref.strip()
    if ref.isdigit():
        run = session.get(PayrollRun, int(ref))
    else:
        parts = [p.strip() for p in ref.split("/")]
        if len(parts) != 3:
            raise UnknownRun(
                f"실행 {ref!r}: 번호 또는 월/자치구/사업으로 지정하세요 "
                "(예: 2025-03/종로구/동행일자리)"
            )
        month = parse_month(parts[0])
        district = resolve_district(session, parts[1])
        run = _find_run(session, month, district, lookup.program_code(session, parts[2]))
    if run is None:
        raise UnknownRun(f"급여 실행 {ref!r}이 없습니다 (`payroll run list`로 확인하세요)")
    return run


def approve_run(engine: Engine, ref: str, by: str) -> RunSummary:
    """Approve a calculated run; every exception must be fixed or excluded first."""
    with transaction(engine) as session:
        run = find_run(session, ref)
        _require_state(run, "calculated", "승인")
        _require_in_order(session, run, "승인")
        open_exceptions = session.scalar(
            select(func.count())
            .select_from(RunException)
            .where(RunException.run_id == run.id, RunException.excluded.is_(False))
        )
        if open_exceptions:
            raise RunError(
                f"급여 실행 {run.id}에 처리되지 않은 예외 {open_exceptions}건이 있습니다: 자료를 "
                "고쳐 다시 계산하거나, 하나씩 제외하세요 (`payroll run exclude`)"
            )
        if run.calculated_by == by:
            raise RunError(
                f"급여 실행 {run.id}: {by}님이 계산한 급여는 {by}님이 승인할 수 없습니다 "
                "(업무 분리: 계산한 사람과 승인하는 사람은 달라야 합니다)"
            )
        run.state = "approved"
        run.approved_by, run.approved_at = by, datetime.now(UTC)
        audit.record(session, by, "run.approved", "payroll_run", run.id)
        return summary(run)


def finalize_run(engine: Engine, ref: str, by: str) -> RunSummary:
    """Finalize an approved run: from now on its payslips and month never change."""
    with transaction(engine) as session:
        run = find_run(session, ref)
        _require_state(run, "approved", "확정")
        _require_in_order(session, run, "확정")
        relaxed = run.approved_by == by
        if relaxed and not city_settings.self_finalize_allowed(session):
            raise RunError(
                f"급여 실행 {run.id}: {by}님이 승인한 급여는 {by}님이 확정할 수 없습니다 "
                "(업무 분리: 다른 팀장이 확정합니다; 1인 사무소는 시 관리자가 "
                "`payroll setting self-finalize on`으로 허용)"
            )
        take_snapshot(session, run)
        run.state = "finalized"
        run.finalized_by, run.finalized_at = by, datetime.now(UTC)
        extra = {"separation_of_duties_relaxed": True} if relaxed else {}
        audit.record(
            session,
            by,
            "run.finalized",
            "payroll_run",
            run.id,
            gross=run.gross,
            net=run.net,
            **extra,
        )
        return summary(run)


def cancel_run(engine: Engine, ref: str, by: str, reason: str) -> RunSummary:
    """Cancel a run that is not finalized; its payslips are removed."""
    with transaction(engine) as session:
        run = find_run(session, ref)
        if run.state == "finalized":
            raise RunError(
                f"급여 실행 {run.id}은(는) 확정되었으므로 바뀌지 않습니다; 이후 달에 정정하세요 "
                "(`payroll import attendance --correction`)"
            )
        _clear(session, run.id)
        run.state = "cancelled"
        run.participant_count = run.exception_count = 0
        run.gross = run.total_deductions = run.net = run.employer_total = 0
        audit.record(session, by, "run.cancelled", "payroll_run", run.id, reason=reason)
        return summary(run)


def exclude_participant(
    engine: Engine, ref: str, participant_id: str, reason: str, by: str
) -> RunSummary:
    """Exclude an exception's participant from a run, with a reason (not paid this run)."""
    with transaction(engine) as session:
        run = find_run(session, ref)
        _require_state(run, "calculated", "참여자 제외")
        exception = session.scalars(
            select(RunException)
            .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(RunException.run_id == run.id, Participant.participant_id == participant_id)
        ).first()
        if exception is None:
            raise RunError(
                f"참여자 {participant_id}은(는) 급여 실행 {run.id}의 예외 목록에 없습니다"
            )
        exception.excluded, exception.excluded_reason = True, reason
        exception.excluded_by = by
        audit.record(
            session,
            by,
            "run.excluded",
            "payroll_run",
            run.id,
            participant=participant_id,
            reason=reason,
        )
        return summary(run)


def _require_in_order(session: Session, run: PayrollRun, verb: str) -> None:
    """§16: earlier months of the district and program are finalized first, and the run's
    retro lines still match what is due (nothing finalized or corrected since)."""
    earlier = session.scalars(
        select(PayrollRun)
        .where(
            PayrollRun.district_code == run.district_code,
            PayrollRun.program_code == run.program_code,
            PayrollRun.month < run.month,
            PayrollRun.state.in_(("calculated", "approved")),
        )
        .order_by(PayrollRun.month)
    ).first()
    if earlier is not None:
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 같은 자치구·사업의 이전 달 "
            f"{earlier.month} 실행 {earlier.id}이 아직 확정되지 않았습니다 ({earlier.state}); "
            "이전 달부터 확정하세요"
        )
    skipped = skipped_months(session, run)
    if skipped:
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 같은 자치구·사업의 이전 달 "
            f"{', '.join(skipped)}에 참여자가 있는데 급여가 계산되지 않았습니다; "
            f"`payroll run calculate --month {skipped[0]}`로 이전 달부터 계산·확정하세요"
        )
    stale = sorted(
        set(stale_participants(session, run))
        | set(SqlEnrollmentStore(session).ended_since(run.id, run.calculated_at))
    )
    if stale:
        shown = ", ".join(stale[:5]) + (f" 외 {len(stale) - 5}명" if len(stale) > 5 else "")
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 계산 후 정정분 지급액 또는 "
            f"종료일이 바뀌었습니다 ({shown}); `payroll run calculate --month {run.month} "
            f"--district {run.district_code} --program {run.program_code}`로 다시 계산하세요"
        )


def _require_state(run: PayrollRun, state: str, verb: str) -> None:
    if run.state != state:
        now = STATE_NAMES.get(run.state, run.state)
        raise RunError(
            f"급여 실행 {run.id} ({run.month} {run.district_code} {run.program_code})은(는) "
            f"{verb}할 수 없습니다: 지금 {now} 상태입니다 ({STATE_NAMES[state]} 상태에서만 {verb})"
        )


def list_runs(engine: Engine, month: str | None = None) -> list[RunSummary]:
    with transaction(engine) as session:
        stmt = select(PayrollRun).order_by(
            PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code
        )
        if month:
            stmt = stmt.where(PayrollRun.month == parse_month(month))
        return [summary(r) for r in session.scalars(stmt)]

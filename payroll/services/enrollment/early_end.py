"""Ending an enrollment early (중도 종료, how-pay-is-calculated.md §14).

An administrator records the new end E' (S ≤ E' < E) with a reason code, who and when.
The enrollment's ``end`` becomes E' (every rule then uses it: weekly allowance, leave
accrual and payout, months with a payslip) and ``planned_end`` keeps the original E.
E' may lie inside a month already finalized: each finalized month it lowers becomes a
recovery (환수, §17) of the finalized own pay less the recalculated one, taken from the
participant's next pay or owed. Attendance recorded after E' is removed with it, except
under finalized months (frozen; the pay no longer reads days after E').
``payroll enrollment end`` and the roster's ``end_reason`` (종료사유) column both come here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from payroll.domain.calendar import month_range, months_between
from payroll.domain.carryover import CarryKind
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.labels import END_REASON_LABELS
from payroll.domain.model import PayrollError
from payroll.domain.money import won
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.retro import MonthPay, corrected_attendance
from payroll.domain.roster import EarlyEnd
from payroll.formats.inputs import InputError, squash
from payroll.services.common import audit, lookup
from payroll.services.common.free_text import capped
from payroll.services.enrollment.enroll import pay_enrollment
from payroll.services.unit_of_work import UnitOfWork

END_REASONS = END_REASON_LABELS
"""Reason codes of an early end and their Korean labels (§14)."""


class EndRefused(PayrollError):
    """An early end the rules refuse (dates, finalized months); nothing was changed."""


@dataclass(frozen=True)
class Overpaid:
    """A finalized month an early end would reach back into."""

    month: str
    finalized_gross: int
    recalculated_gross: int
    finalized_net: int
    recalculated_net: int
    finalized_pay: MonthPay = MonthPay()  # the month's own pay as finalized
    recalculated_pay: MonthPay = MonthPay()  # … and with the new end

    @property
    def gross(self) -> int:
        return self.finalized_gross - self.recalculated_gross

    @property
    def net(self) -> int:
        return self.finalized_net - self.recalculated_net

    @property
    def recovery(self) -> MonthPay:
        """What to recover (negative won): the recalculated own pay less the finalized."""
        return self.recalculated_pay - self.finalized_pay

    @property
    def arithmetic(self) -> str:
        """The amount's arithmetic, in Korean (kept as the recovery's reason)."""
        return (
            f"{self.month} 확정 {won(self.finalized_pay.total)} − 재계산 "
            f"{won(self.recalculated_pay.total)} = 과지급 {won(-self.recovery.total)}"
        )


@dataclass(frozen=True)
class EndResult:
    """What an early end did."""

    participant_id: str
    enrollment_id: int
    program: str
    district: str
    start: date
    planned_end: date
    end: date
    reason: str
    changed: bool  # False: the same end was already recorded
    removed_days: int  # attendance records after E' removed

    @property
    def open_months(self) -> list[str]:
        """Months whose runs may hold pay the new end changes (E''s month onwards)."""
        return months_between(self.end, self.planned_end)


def reason_label(code: str | None) -> str:
    """``employed`` -> ``취업`` (the code itself when unknown, empty for None)."""
    return END_REASONS.get(code or "", code or "")


def parse_reason(text: str) -> str:
    """A reason code from its code or Korean label (``취업``, ``중도포기`` …)."""
    wanted = squash(text)
    for code, label in END_REASONS.items():
        if wanted in (code, squash(label)):
            return code
    known = ", ".join(f"{c} ({label})" for c, label in END_REASONS.items())
    raise InputError(f"종료사유 {text!r}를 알 수 없습니다 (사유: {known})")


def find_enrollment(
    uow: UnitOfWork,
    participant_id: str,
    on: date,
    program: str | None = None,
    term: str | None = None,
    district: str | None = None,
) -> tuple[EnrollmentRecord, PersonRecord]:
    """The participant's roster enrollment holding ``on`` (narrowed by program and term;
    ``district``: the participant's district code, when several use the ID)."""
    person = uow.participants.get(participant_id.strip(), district)
    if person is None:
        raise InputError(f"참여자 {participant_id!r}가 없습니다")
    rows = [
        r for r in uow.enrollments.of_participants([person.id])[person.id] if r.source == "roster"
    ]
    if program:
        code = lookup.program_code(uow, program)
        rows = [r for r in rows if r.program_code == code]
    if term:
        rows = [r for r in rows if r.term_code == term.strip()]
    holding = [r for r in rows if r.start <= on <= (r.planned_end or r.end)]
    if not holding:
        known = ", ".join(f"{r.program_code} {r.term_code} {r.start}~{r.end}" for r in rows)
        raise InputError(
            f"참여자 {participant_id}: {on.isoformat()}이 포함된 참여가 없습니다"
            + (f" (참여: {known})" if known else "")
        )
    if len(holding) > 1:
        raise InputError(
            f"참여자 {participant_id}: {on.isoformat()}이 포함된 참여가 {len(holding)}건입니다; "
            "--program과 --term으로 지정하세요"
        )
    return holding[0], person


def check_end(
    uow: UnitOfWork,
    row: EnrollmentRecord,
    person: PersonRecord,
    on: date,
    reason: str,
    note: str | None,
) -> bool:
    """Raise EndRefused when §14 refuses E' = ``on``; False when it is already recorded."""
    planned = row.planned_end or row.end
    if row.planned_end is not None and row.end == on and row.end_reason == reason:
        return False
    if reason not in END_REASONS:
        raise EndRefused(f"종료사유 {reason!r}를 알 수 없습니다")
    if reason == "other" and not (note or "").strip():
        raise EndRefused("종료사유 other(기타)는 --note로 내용을 적어야 합니다")
    if not row.start <= on < planned:
        raise EndRefused(
            f"참여자 {person.participant_id}: 종료일 {on.isoformat()}은 참여기간 "
            f"{row.start.isoformat()} ~ {planned.isoformat()} 안이고 원래 종료일보다 "
            "앞서야 합니다"
        )
    return True


def overpaid_months(
    uow: UnitOfWork, row: EnrollmentRecord, person: PersonRecord, on: date
) -> list[Overpaid]:
    """Finalized months ending after ``on``, each with its finalized and recalculated pay."""
    slips = [s for s in uow.enrollments.finalized_pay(row.id) if month_range(s[0])[1] > on]
    if not slips:
        return []
    catalog = uow.catalog.read()
    calendar = uow.catalog.holidays()
    table = uow.catalog.tax_tables()
    shortened = replace(pay_enrollment(row, person), end=on)
    attendance = corrected_attendance(
        uow.attendance.records(row.id), uow.attendance.records(row.id, correction=True)
    )
    kept = [r for r in attendance if r.day <= on]
    own = {m: pay for _e, m, ref, pay in uow.run_inputs.finalized_pay([row.id]) if ref is None}
    out = []
    for month, finalized_gross, finalized_net in slips:
        gross = net = 0
        pay = MonthPay()
        if month_range(month)[0] <= on:
            recalculated = calculate_month(
                PayContext(shortened, kept, month, catalog.rate_book, calendar, table)
            )
            gross, net = recalculated.gross, recalculated.net
            pay = MonthPay(recalculated.taxable, recalculated.non_taxable)
        out.append(
            Overpaid(
                month,
                finalized_gross,
                gross,
                finalized_net,
                net,
                own.get(month, MonthPay()),
                pay,
            )
        )
    return out


def record_recoveries(
    uow: UnitOfWork,
    row: EnrollmentRecord,
    person: PersonRecord,
    on: date,
    by: str,
    reason: str,
) -> list[Overpaid]:
    """§14 with recovery (환수): each finalized month the end lowers becomes a recovery,
    taken from the participant's next pay (net pay kept at or above zero) or owed."""
    overpaid = [o for o in overpaid_months(uow, row, person, on) if o.recovery.total < 0]
    for o in overpaid:
        due = o.recovery
        carry_id = uow.carryovers.add(
            row.id,
            CarryKind.RECOVERY,
            o.month,
            due.taxable,
            due.non_taxable,
            f"중도 종료 {on.isoformat()} ({reason_label(reason)}): {o.arithmetic}",
            by,
            datetime.now(UTC),
        )
        audit.record(
            uow,
            by,
            "carryover.recovery",
            "pay_carryover",
            carry_id,
            participant=person.participant_id,
            month=o.month,
            amount=due.total,
        )
    return overpaid


def apply_end(
    uow: UnitOfWork,
    row: EnrollmentRecord,
    person: PersonRecord,
    on: date,
    reason: str,
    note: str | None,
    by: str,
    via: str = "command",
) -> EndResult:
    """Check and record E' = ``on`` in the caller's transaction (see :func:`check_end`)."""
    changed = check_end(uow, row, person, on, reason, note)
    planned = row.planned_end or row.end
    removed = 0
    if changed:
        # days under a finalized month stay as they were (frozen); the pay ignores them
        finalized = [m for m, _g, _n in uow.enrollments.finalized_pay(row.id)]
        keep_to = max([on, *(month_range(m)[1] for m in finalized)])
        removed = uow.attendance.remove_after(row.id, keep_to)
        previous = row.end
        end_note = (note or "").strip() or None
        recoveries = record_recoveries(uow, row, person, on, by, reason)
        uow.enrollments.record_end(
            row.id, EarlyEnd(on, planned, reason, end_note, by, datetime.now(UTC))
        )
        audit.record(
            uow,
            by,
            "enrollment.ended",
            "enrollment",
            row.id,
            participant=person.participant_id,
            program=row.program_code,
            term=row.term_code,
            planned_end=planned.isoformat(),
            previous_end=previous.isoformat(),
            end=on.isoformat(),
            reason=reason,
            note=end_note,
            attendance_removed=removed,
            via=via,
            recovered=[o.arithmetic for o in recoveries],
        )
    return EndResult(
        person.participant_id,
        row.id,
        row.program_code,
        person.district_code,
        row.start,
        planned,
        on,
        reason,
        changed,
        removed,
    )


def end_enrollment(
    uow: UnitOfWork,
    participant_id: str,
    on: date,
    reason: str,
    by: str,
    note: str | None = None,
    program: str | None = None,
    term: str | None = None,
    district: str | None = None,
) -> EndResult:
    """``payroll enrollment end``: find the enrollment, check and record its early end."""
    code = parse_reason(reason)
    note = capped(note, "메모") or None
    with uow:
        where = lookup.district_code(uow, district) if district else None
        row, person = find_enrollment(uow, participant_id, on, program, term, where)
        return apply_end(uow, row, person, on, code, note, by)


def open_runs(uow: UnitOfWork, result: EndResult) -> list[str]:
    """Months from E' on whose run of the enrollment's district and program is not finalized."""
    with uow:
        return uow.enrollments.open_run_months(result.district, result.program, result.open_months)


@dataclass(frozen=True)
class RosterEnd:
    """An early end a roster row asks for (applied after every row is checked)."""

    row: int
    enrollment: EnrollmentRecord
    person: PersonRecord
    end: date
    reason: str
    note: str | None


def roster_end(
    uow: UnitOfWork,
    number: int,
    existing: EnrollmentRecord,
    person: PersonRecord,
    end: date,
    reason_text: str,
    note: str | None,
) -> RosterEnd | bool:
    """What a roster row with a stored enrollment's program and start means for its end.

    True: nothing to do (the same end, or an early end already recorded and the row still
    giving the planned end); a :class:`RosterEnd` to apply (``end_reason`` given and the
    end changed: checked here, raises EndRefused or InputError); False: no early end (the
    row is compared with the stored enrollment as before).
    """
    if not reason_text:
        return existing.planned_end is not None and end in (existing.planned_end, existing.end)
    code = parse_reason(reason_text)
    if end == existing.end and (existing.planned_end is None or existing.end_reason == code):
        return existing.planned_end is not None or False
    check_end(uow, existing, person, end, code, note)
    return RosterEnd(number, existing, person, end, code, note)


def early_end_facts(row: EnrollmentRecord) -> dict[str, str | None]:
    """The early end of a stored enrollment as JSON-ready fields (empty when none)."""
    return {
        "planned_end": row.planned_end.isoformat() if row.planned_end else None,
        "end_reason": row.end_reason,
        "end_reason_label": reason_label(row.end_reason) if row.end_reason else None,
        "end_note": row.end_note,
        "ended_by": row.ended_by,
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
    }


def ended_since_calculated(
    uow: UnitOfWork, run_id: int, calculated_at: datetime | None
) -> list[str]:
    """Participants of run ``run_id`` whose enrollment was ended early after it was
    calculated (at ``calculated_at``)."""
    return uow.enrollments.ended_since(run_id, calculated_at)

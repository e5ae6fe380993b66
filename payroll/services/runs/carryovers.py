"""Holds, returned transfers, write-offs and the settling of carried-over pay.

- :func:`hold_participant` (지급 보류, was 제외): an exception's participant is held out of
  the run; the month is calculated and kept as a ``held`` carryover.
- :func:`release_hold`: a manager releases a held month of a finalized run; the next run
  of the enrollment pays it (the final month pays it at the latest).
- :func:`payment_returned`: the bank returned a finalized run's transfer; the net amount
  is paid again by the enrollment's next run once its account is payable.
- :func:`write_off`: a manager closes an outstanding amount with a reason.
- :func:`settle_run`: inside finalization, what the run's carried-over lines paid is
  added to each carryover's ``settled``, so each amount is paid exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.carryover import CODE_KIND, CarryKind, Carryover, settle
from payroll.domain.deductions import TaxTable
from payroll.domain.model import PayrollError, RateBook
from payroll.domain.money import won
from payroll.domain.run_member import EnrolledParticipant, due_carryovers, month_payslip
from payroll.domain.runs import RunAction, RunError, RunRecord, RunState, check_transition
from payroll.services.common import audit
from payroll.services.runs.inputs import load_inputs
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class OpenCarryover:
    """An amount still to pay or recover, for listings, ledgers and ``reconcile``."""

    carryover: Carryover
    participant_id: str
    district: str
    program: str

    @property
    def label(self) -> str:
        c = self.carryover
        state = ""
        if c.kind is CarryKind.HELD:
            state = " (해제됨)" if c.released_by else " (보류 중)"
        return f"{c.kind.korean}{state}"


def held_figures(
    person: EnrolledParticipant,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
) -> tuple[int, int]:
    """(taxable, non-taxable) pay of a held participant's month, as a run would pay it."""
    slip = month_payslip(person, month, rates, calendar, withholding)
    return slip.taxable, slip.non_taxable


def hold_participant(
    uow: UnitOfWork, run: RunRecord, participant_id: str, reason: str, by: str
) -> Carryover:
    """Hold an exception's participant out of ``run`` (calculated): the month is calculated
    and kept as a ``held`` carryover (inside the caller's transaction)."""
    check_transition(run, RunAction.EXCLUDE)
    if not reason.strip():
        raise RunError(f"참여자 {participant_id}: 지급 보류 사유(--reason)를 적으세요")
    with uow:
        exception = next(
            (x for x, pid in uow.runs.exceptions(run.id) if pid == participant_id), None
        )
        if exception is None:
            raise RunError(
                f"참여자 {participant_id}은(는) 급여 실행 {run.id}의 예외 목록에 없습니다"
            )
        kept_reason = reason
        people = load_inputs(
            uow, run.month, uow.run_inputs.members_by_id([exception.enrollment_id])
        )
        try:
            if not people:
                raise PayrollError("등록 정보를 찾을 수 없습니다")
            taxable, non_taxable = held_figures(
                people[0],
                run.month,
                uow.catalog.read().rate_book,
                uow.catalog.holidays(),
                uow.catalog.withholding_table(),
            )
        except PayrollError as exc:
            # The month cannot be calculated from the data as it is: held at 0 won with the
            # reason; once the data is fixed, a correction pays it (§16).
            taxable = non_taxable = 0
            kept_reason = f"{reason} (계산 불가: {exc})"
        now = datetime.now(UTC)
        uow.runs.exclude(run.id, exception.enrollment_id, reason, by)
        carry_id = uow.carryovers.put_held(
            run.id, exception.enrollment_id, run.month, taxable, non_taxable, kept_reason, by, now
        )
        audit.record(
            uow,
            by,
            "run.held",
            "payroll_run",
            run.id,
            participant=participant_id,
            reason=reason,
            taxable=taxable,
            non_taxable=non_taxable,
            carryover=carry_id,
        )
        found = uow.carryovers.get(carry_id)
        assert found is not None
        return found


def rehold(uow: UnitOfWork, run_id: int, month: str, held: dict[int, tuple[int, int]]) -> None:
    """After a recalculation: the held months of ``run_id`` with their new figures."""
    with uow:
        for item in uow.carryovers.of_run(run_id):
            if item.kind is CarryKind.HELD and item.enrollment_id in held:
                taxable, non_taxable = held[item.enrollment_id]
                uow.carryovers.put_held(
                    run_id,
                    item.enrollment_id,
                    month,
                    taxable,
                    non_taxable,
                    item.reason,
                    "system",
                    datetime.now(UTC),
                )


def _carry_of(uow: UnitOfWork, run: RunRecord, participant_id: str, kind: CarryKind) -> Carryover:
    for item in uow.carryovers.of_run(run.id):
        pid = uow.carryovers.payees([item.enrollment_id]).get(item.enrollment_id, ("",))[0]
        if item.kind is kind and pid == participant_id:
            return item
    raise RunError(
        f"참여자 {participant_id}: 급여 실행 {run.id} ({run.month})에 {kind.korean} 내역이 "
        "없습니다 (`payroll run show`로 확인하세요)"
    )


def release_hold(uow: UnitOfWork, run: RunRecord, participant_id: str, by: str) -> Carryover:
    """Release the held month of ``participant_id`` in finalized ``run``: the enrollment's
    next run pays it as 미지급분."""
    with uow:
        if run.state is not RunState.FINALIZED:
            raise RunError(
                f"급여 실행 {run.id} ({run.month})이 아직 확정되지 않았습니다: 보류는 확정된 달의 "
                "급여만 해제합니다 (확정 전에는 계좌를 고쳐 다시 계산하세요)"
            )
        item = _carry_of(uow, run, participant_id, CarryKind.HELD)
        if item.released_by:
            raise RunError(
                f"참여자 {participant_id} {run.month} 보류분은 이미 {item.released_by}님이 "
                "해제했습니다"
            )
        uow.carryovers.release(item.id, by, datetime.now(UTC))
        audit.record(
            uow,
            by,
            "carryover.released",
            "payroll_run",
            run.id,
            participant=participant_id,
            amount=item.total,
            carryover=item.id,
        )
        found = uow.carryovers.get(item.id)
        assert found is not None
        return found


def payment_returned(
    uow: UnitOfWork, run: RunRecord, participant_id: str, reason: str, by: str
) -> Carryover:
    """Record that the bank returned ``participant_id``'s transfer of finalized ``run``."""
    if not reason.strip():
        raise RunError(f"참여자 {participant_id}: 반환 사유(--reason)를 적으세요")
    with uow:
        if run.state is not RunState.FINALIZED:
            raise RunError(
                f"급여 실행 {run.id} ({run.month})은(는) 확정되지 않아 이체된 적이 없습니다"
            )
        slip = next((s for s, pid in uow.payslips.of_run(run.id) if pid == participant_id), None)
        if slip is None:
            raise RunError(
                f"참여자 {participant_id}은(는) 급여 실행 {run.id} ({run.month})에서 지급받지 "
                "않았습니다"
            )
        for item in uow.carryovers.of_run(run.id):
            if item.kind is CarryKind.RETURNED and item.enrollment_id == slip.enrollment_id:
                raise RunError(
                    f"참여자 {participant_id} {run.month} 이체 반환은 이미 기록되었습니다 "
                    f"({won(item.total)})"
                )
        carry_id = uow.carryovers.add(
            slip.enrollment_id,
            CarryKind.RETURNED,
            run.month,
            0,
            slip.net,
            reason,
            by,
            datetime.now(UTC),
            run.id,
        )
        audit.record(
            uow,
            by,
            "payment.returned",
            "payroll_run",
            run.id,
            participant=participant_id,
            amount=slip.net,
            reason=reason,
            carryover=carry_id,
        )
        found = uow.carryovers.get(carry_id)
        assert found is not None
        return found


def write_off(uow: UnitOfWork, carry_id: int, reason: str, by: str) -> Carryover:
    """Close an outstanding carryover without paying it, with a reason (a manager)."""
    if not reason.strip():
        raise RunError(f"이월 항목 {carry_id}: 정리 사유(--reason)를 적으세요")
    with uow:
        item = uow.carryovers.get(carry_id)
        if item is None:
            raise RunError(f"이월 항목 {carry_id}이 없습니다 (`payroll payment open`으로 확인)")
        if item.outstanding == 0:
            raise RunError(f"이월 항목 {carry_id}은(는) 남은 금액이 없습니다")
        uow.carryovers.write_off(carry_id, by, reason, datetime.now(UTC))
        audit.record(
            uow,
            by,
            "carryover.written_off",
            "pay_carryover",
            carry_id,
            amount=item.outstanding,
            reason=reason,
        )
        found = uow.carryovers.get(carry_id)
        assert found is not None
        return found


def open_carryovers(uow: UnitOfWork) -> list[OpenCarryover]:
    """Every amount still to pay or recover."""
    with uow:
        return [OpenCarryover(c, pid, d, p) for c, pid, d, p in uow.carryovers.outstanding()]


def settle_run(uow: UnitOfWork, run: RunRecord) -> None:
    """Add what ``run``'s carried-over lines pay to each carryover (finalization's
    transaction); refuses when a line pays more than is still outstanding."""
    with uow:
        lines: dict[tuple[int, CarryKind, str], int] = defaultdict(int)
        for enrollment, code, ref, amount in uow.carryovers.carry_lines(run.id):
            lines[(enrollment, CODE_KIND[code], ref or run.month)] += amount
        items = uow.carryovers.of_enrollments(sorted({e for e, _k, _r in lines}))
        for (enrollment, kind, ref), amount in sorted(lines.items()):
            shares = settle(items.get(enrollment, []), kind, ref, amount)
            if sum(shares.values()) != amount:
                raise RunError(
                    f"급여 실행 {run.id}: {ref} {kind.korean} {won(amount)}이(가) 남은 금액보다 "
                    "많습니다 (다른 달에 이미 지급됨); 다시 계산하세요"
                )
            for carry_id, share in shares.items():
                uow.carryovers.add_settled(carry_id, share)


def stale_carryovers(uow: UnitOfWork, run: RunRecord) -> list[str]:
    """Participants of ``run`` whose carried-over lines differ from what is due now (a
    release, a return or a settlement since the run was calculated)."""
    with uow:
        stored: dict[int, dict[tuple[CarryKind, str], int]] = defaultdict(dict)
        for enrollment, code, ref, amount in uow.carryovers.carry_lines(run.id):
            key = (CODE_KIND[code], ref or run.month)
            stored[enrollment][key] = stored[enrollment].get(key, 0) + amount
        items = uow.carryovers.of_enrollments(sorted(uow.payslips.enrollments_of_run(run.id)))
        # an enrollment with neither carryovers nor carried-over lines owes and pays none
        concerned = sorted(set(items) | set(stored))
        if not concerned:
            return []
        slips = uow.payslips.of_run(run.id)
        people = [EnrolledParticipant(m) for m in uow.run_inputs.members_by_id(concerned)]
    ids = {s.enrollment_id: pid for s, pid in slips}
    stale = []
    for person in people:
        person.carryovers.extend(items.get(person.enrollment_id, []))
        due: dict[tuple[CarryKind, str], int] = {}
        for item in due_carryovers(person, run.month):
            key = (item.kind, item.ref_month)
            due[key] = due.get(key, 0) + item.outstanding
        have = stored.get(person.enrollment_id, {})
        for key in set(due) | set(have):
            kind = key[0]
            owed, paid = due.get(key, 0), have.get(key, 0)
            if kind is CarryKind.RECOVERY:
                bad = paid < owed or (paid == 0 and owed != 0 and _net(slips, person) > 0)
            else:
                bad = owed != paid
            if bad:
                stale.append(ids[person.enrollment_id])
                break
    return sorted(stale)


def _net(slips: list, person: EnrolledParticipant) -> int:  # type: ignore[type-arg]
    return next((s.net for s, _pid in slips if s.enrollment_id == person.enrollment_id), 0)

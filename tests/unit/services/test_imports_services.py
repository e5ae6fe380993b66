"""Enrollment, early end and term closure on the fake unit of work (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import AttendanceRecord, Enrollment, Status
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.retro import MonthPay
from payroll.domain.roster import FinalMonth, StoredTerm
from payroll.reference.withholding_data import shipped_withholding_table
from payroll.services.enrollment import early_end
from payroll.services.enrollment.enroll import EnrollmentRefused, Override, enroll
from payroll.services.runs import terms
from tests.support.fake_uow import FakeUnitOfWork


def person(uow: FakeUnitOfWork, pid: str = "P1") -> PersonRecord:
    # A stored number and person key (an enrollment needs them; their values do not matter here)
    record = PersonRecord(
        0, pid, "김민지", date(1970, 5, 1), "11110", rrn_encrypted=b"-", person_key=f"key-{pid}"
    )
    return uow.participants.rows[uow.participants.add(record)]


def enrollment(
    uow: FakeUnitOfWork,
    who: PersonRecord,
    term: str,
    start: date,
    end: date,
    source: str = "history",
) -> int:
    row = EnrollmentRecord(0, who.id, "dongheng", start, end, term_code=term, source=source)
    return uow.enrollments.add(row)


# --- enrollment ------------------------------------------------------------------------


def test_a_fourth_consecutive_term_is_refused_and_nothing_is_stored() -> None:
    uow = FakeUnitOfWork()
    p1 = person(uow)
    enrollment(uow, p1, "2024-H1", date(2024, 1, 10), date(2024, 6, 28))
    enrollment(uow, p1, "2024-H2", date(2024, 7, 1), date(2024, 12, 20))
    third = enroll(uow, "P1", "dongheng", "2025-H1", actor="kim")
    assert third.created and uow.audit.log[-1].action == "enrollment.add"
    stored, logged = dict(uow.enrollments.rows), list(uow.audit.log)

    with pytest.raises(EnrollmentRefused) as refused:
        enroll(uow, "P1", "dongheng", "2025-H2", actor="kim")

    assert "max_consecutive_terms" in str(refused.value)
    assert uow.enrollments.rows == stored and uow.audit.log == logged
    assert uow.rollbacks == 1


def test_an_override_enrolls_and_stores_who_and_why() -> None:
    uow = FakeUnitOfWork()
    p1 = person(uow)
    enrollment(uow, p1, "2024-H1", date(2024, 1, 10), date(2024, 6, 28))
    enrollment(uow, p1, "2024-H2", date(2024, 7, 1), date(2024, 12, 20))
    enroll(uow, "P1", "dongheng", "2025-H1")

    result = enroll(uow, "P1", "dongheng", "2025-H2", override=Override("구청장 승인", "박주무관"))

    row = uow.enrollments.rows[result.enrollment_id]
    assert (row.override_reason, row.override_by) == ("구청장 승인", "박주무관")
    assert row.override_rules == "max_consecutive_terms"
    assert uow.audit.log[-1].actor == "박주무관"


def test_an_unknown_participant_is_refused_in_korean() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(Exception, match="참여자 NOPE: 없습니다"):
        enroll(uow, "NOPE", "dongheng", "2025-H1")


# --- early end -------------------------------------------------------------------------


@pytest.fixture
def ended() -> tuple[FakeUnitOfWork, int]:
    uow = FakeUnitOfWork()
    uow.catalog.withholding_table = shipped_withholding_table  # type: ignore[attr-defined]
    p1 = person(uow)
    pk = enrollment(uow, p1, "2025-H1", date(2025, 1, 10), date(2025, 6, 30), source="roster")
    for day in (date(2025, 4, 10), date(2025, 4, 21)):
        uow.attendance.replace(pk, [AttendanceRecord(day, Status.ABSENT)], False, "f", _now())
    return uow, pk


def _now() -> datetime:
    return datetime.now(UTC)


def test_an_early_end_inside_a_finalized_month_becomes_a_recovery(
    ended: tuple[FakeUnitOfWork, int],
) -> None:
    uow, pk = ended
    uow.enrollments.finalized[pk] = [("2025-03", 1_500_000, 1_350_000)]
    finalized = MonthPay(1_440_000, 60_000)  # March's own pay as finalized
    uow.run_inputs.finalized_pay = lambda ids: [(pk, "2025-03", None, finalized)]  # type: ignore[method-assign]

    early_end.end_enrollment(uow, "P1", date(2025, 3, 14), "employed", "kim")

    row = uow.enrollments.rows[pk]
    assert (row.end, row.planned_end) == (date(2025, 3, 14), date(2025, 6, 30))
    [recovery] = uow.carryovers.of_enrollments([pk])[pk]
    # March recalculated to the 14th by the pay engine, less March as finalized (§14).
    enrollment = Enrollment(
        "P1", "dongheng", date(2025, 1, 10), date(2025, 3, 14), date(1970, 5, 1)
    )
    rates, holidays = uow.catalog.read().rate_book, uow.catalog.holidays()
    table = shipped_withholding_table()
    march = calculate_month(PayContext(enrollment, [], "2025-03", rates, holidays, table))
    assert (recovery.kind, recovery.ref_month) == ("recovery", "2025-03")
    assert recovery.taxable == march.taxable - finalized.taxable < 0
    assert recovery.non_taxable == march.non_taxable - finalized.non_taxable
    assert "과지급" in recovery.reason and "2025-03 확정 1,500,000" in recovery.reason


def test_an_early_end_records_the_new_end_and_removes_later_attendance(
    ended: tuple[FakeUnitOfWork, int],
) -> None:
    uow, pk = ended
    uow.enrollments.finalized[pk] = [("2025-03", 1_500_000, 1_350_000)]

    result = early_end.end_enrollment(uow, "P1", date(2025, 4, 18), "취업", "kim")

    row = uow.enrollments.rows[pk]
    assert (row.end, row.planned_end, row.end_reason, row.ended_by) == (
        date(2025, 4, 18),
        date(2025, 6, 30),
        "employed",
        "kim",
    )
    assert result.removed_days == 1 and [r.day for r in uow.attendance.records(pk)] == [
        date(2025, 4, 10)
    ]
    [entry] = uow.audit.log
    assert entry.action == "enrollment.ended" and entry.detail["planned_end"] == "2025-06-30"
    again = early_end.end_enrollment(uow, "P1", date(2025, 4, 18), "employed", "kim")
    assert not again.changed and len(uow.audit.log) == 1


# --- term closure ----------------------------------------------------------------------


H1 = StoredTerm("dongheng", "2025-H1", date(2025, 1, 10), date(2025, 6, 30))


def closing_uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.terms.terms = [H1]
    uow.terms.finals[("dongheng", "2025-H1")] = [FinalMonth(7, "2025-06", "11110")]
    return uow


@pytest.fixture
def calculated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The runs ``close_ended_terms`` calculates (the runs service is not run here)."""
    calls: list[tuple[object, ...]] = []

    def calculate(uow: object, month: str, district: str, program: str, actor: str) -> list:
        calls.append((month, district, program, actor))
        return []

    monkeypatch.setattr(terms.runs, "calculate_runs", calculate)
    return calls


def test_a_term_waits_for_its_final_month_and_its_missing_run_is_calculated(
    calculated: list[tuple[object, ...]],
) -> None:
    uow = closing_uow()

    report = terms.close_ended_terms(uow, date(2025, 7, 2))

    assert calculated == [("2025-06", "11110", "dongheng", "scheduler")]
    assert report.waiting == ["dongheng 2025-H1"] and report.closed == []
    assert uow.terms.terms[0].closed_at is None and uow.audit.log == []


def test_closing_a_term_is_one_transaction_a_failure_leaves_it_open(
    calculated: list[tuple[object, ...]],
) -> None:
    uow = closing_uow()
    uow.runs.add("2025-06", "11110", "dongheng")
    uow.terms.paid.add((7, "2025-06"))

    def broken(entry: object) -> None:
        raise RuntimeError("audit log unavailable")

    uow.audit.add = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        terms.close_ended_terms(uow, date(2025, 7, 4))
    assert uow.terms.terms[0].closed_at is None  # the state was rolled back with the audit

    uow.audit.add = uow.audit.log.append  # type: ignore[method-assign]
    report = terms.close_ended_terms(uow, date(2025, 7, 4))
    assert report.closed == ["dongheng 2025-H1"]
    closed = uow.terms.terms[0]
    assert closed.closed_at is not None and closed.closed_by == "scheduler"
    [entry] = uow.audit.log
    assert (entry.action, entry.entity_id) == ("term.closed", "dongheng:2025-H1")


def test_a_closed_term_is_known_by_its_state_not_by_the_audit_log(
    calculated: list[tuple[object, ...]],
) -> None:
    uow = closing_uow()
    uow.terms.terms = [StoredTerm(**{**vars(H1), "closed_at": _now(), "closed_by": "park"})]

    report = terms.close_ended_terms(uow, date(2025, 7, 4))

    assert report.closed == report.waiting == report.calculated == [] and calculated == []

"""Run sheets, payslip views and the severance review on the fake unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from payroll.domain.payee_snapshot import SnapshotPayee
from payroll.domain.report_records import (
    EnrollmentRecord,
    ExceptionRecord,
    LineRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    ProgramRecord,
    RunRecord,
)
from payroll.services.enrollment.severance import severance_cases
from payroll.services.payslips.output import run_views
from payroll.services.runs.pay_sheets import previous_amounts, run_sheet
from payroll.services.runs.payee_snapshot import SnapshotMismatch
from tests.support.fake_uow import FakeUnitOfWork

FACTS = {
    "scheduled_days": 21, "worked_days": 20, "worked_hours": "120", "paid_holidays": 0,
    "weekly_allowance_weeks": 4, "absent_days": 1, "leave_days": 0,
}  # fmt: skip
MARCH = RunRecord(1, "2025-03", "11110", "dongheng", "finalized", participant_count=1, net=1_000)
FEBRUARY = RunRecord(2, "2025-02", "11110", "dongheng", "finalized", participant_count=1)


def _person(pk: int, name: str) -> PersonRecord:
    return PersonRecord(pk, f"P{pk}", name, date(1970, 1, 1), "11110")


def _enrollment(pk: int, start: date, end: date, **kw) -> EnrollmentRecord:
    return EnrollmentRecord(pk, pk, "dongheng", start, end, **kw)


def _slip(pk: int, run: RunRecord, net: int) -> PayslipOf:
    slip = PayslipRecord(
        pk * 10 + run.id, run.id, pk, run.month, gross=net, insurable=net, taxable=net,
        non_taxable=0, total_deductions=0, net=net, employer_total=0, hourly_rate=10_030,
        facts=FACTS,
    )  # fmt: skip
    return PayslipOf(
        slip, run, _enrollment(pk, date(2025, 1, 2), date(2025, 6, 30)), _person(pk, "김가람")
    )


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    sheets = fake.pay_sheets
    sheets.run_list = [MARCH, FEBRUARY]
    march, february = _slip(1, MARCH, 1_000), _slip(1, FEBRUARY, 900)
    sheets.slips = [march, february]
    sheets.line_map = {
        march.slip.id: [
            LineRecord("earning", "base_pay", 700),
            LineRecord("earning", "expense_allowance", 300),
        ],
        february.slip.id: [LineRecord("earning", "base_pay", 900)],
    }
    sheets.exception_list = [
        (
            MARCH.id,
            ExceptionRecord("계좌 없음", True, "중복 등록", "팀장"),
            _enrollment(2, date(2025, 3, 1), date(2025, 6, 30)),
            _person(2, "박하늘"),
        )
    ]
    sheets.snapshots = {
        MARCH.id: [
            SnapshotPayee(march.slip.id, "P1", "김가람(확정)", date(1970, 1, 1), None, None, 1_000)
        ]
    }
    return fake


def test_a_run_sheet_has_the_paid_rows_then_the_exceptions_and_last_months_amounts(uow) -> None:
    sheet = run_sheet(uow, MARCH)
    assert sheet.title == "2025년 3월 종로구 서울 동행일자리"
    paid, exception = sheet.rows
    assert (paid.worked_days, paid.amounts[("earning", "expense_allowance")]) == (20, 300)
    assert sheet.codes["earning"] == ["base_pay", "expense_allowance"]
    assert (exception.slip, exception.exception) == (None, "계좌 없음")
    assert exception.excluded == "제외: 중복 등록 (팀장)"
    assert previous_amounts(uow, MARCH) == {1: ({("earning", "base_pay"): 900}, 900)}
    assert previous_amounts(uow, FEBRUARY) == {}


def test_a_finalized_runs_payslips_name_the_payee_of_the_snapshot(uow) -> None:
    [view] = run_views(uow, MARCH)
    assert (view.name, view.district_name, view.draft, view.net) == (
        "김가람(확정)",
        "종로구",
        False,
        1_000,
    )
    [draft] = run_views(uow, replace(FEBRUARY, state="approved"))
    assert (draft.name, draft.draft) == ("김가람", True)


def test_payslips_are_refused_when_the_snapshot_differs_from_the_frozen_run(uow) -> None:
    uow.pay_sheets.snapshots[MARCH.id] = []
    with pytest.raises(
        SnapshotMismatch, match="run 1 .*지급 대상 0명, 명세서 1건, 확정 시 인원 1명"
    ):
        run_views(uow, MARCH)
    assert uow.rollbacks == 1


def test_the_severance_review_lists_a_year_of_continuous_service_with_its_estimate() -> None:
    uow = FakeUnitOfWork()
    store = uow.severance
    store.program_list = {
        "dongheng": ProgramRecord("dongheng", "서울 동행일자리", Decimal(6), "mon,tue,wed,thu,fri")
    }
    store.people = [
        (
            _person(1, "김가람"),
            [
                _enrollment(1, date(2024, 1, 2), date(2024, 6, 30), term_code="2024-H1"),
                _enrollment(1, date(2024, 7, 15), date(2024, 12, 31), term_code="2024-H2"),
            ],
        ),
        (_person(2, "박하늘"), [_enrollment(2, date(2024, 7, 1), date(2024, 12, 31))]),
    ]
    store.wages = {1: {"2024-10": 1_550_000, "2024-11": 1_500_000, "2024-12": 1_550_000}}
    [case] = severance_cases(uow)
    assert (case.participant_id, case.district, case.chain.days) == ("P1", "종로구", 365)
    assert [s.ref for s in case.chain.services] == [
        "서울 동행일자리 2024-H1",
        "서울 동행일자리 2024-H2",
    ]
    assert case.estimate is not None and case.estimate.wages == 4_600_000
    assert severance_cases(uow, "중구") == []

"""Runs under rulebook v2 (§9, §10, §13): a finalized final month holds the settlements,
the year-to-date of an earlier enrollment counts, and the ledger's employer cost uses 0.96 %."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from payroll.db.catalog_store import holiday_calendar, read_catalog, withholding_table
from payroll.db.engine import transaction
from payroll.db.models import EnrollmentRow, PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.engine import PayContext, calculate_enrollment, calculate_month
from payroll.domain.model import Enrollment
from payroll.domain.settlement import MonthFigures, Settlement, YearToDate
from payroll.services.ledger.build import build_ledger, resolve_scope
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled

H1_MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def finalize_months(engine: Engine, months: list[str]) -> None:
    for month in months:
        for run in calculate_runs(SqlUnitOfWork(engine), month):
            if run.state != "finalized":
                approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
                finalize_run(SqlUnitOfWork(engine), str(run.id), "park")


def lines_of(engine: Engine, enrollment_id: int, month: str, kind: str) -> dict[str, int]:
    with transaction(engine) as session:
        rows = session.execute(
            select(PayslipLineRow.code, PayslipLineRow.amount)
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .where(
                PayslipRow.enrollment_id == enrollment_id,
                PayslipRow.month == month,
                PayslipLineRow.kind == kind,
            )
        ).all()
    return {code: amount for code, amount in rows}


def test_finalized_june_run_refunds_and_the_ledger_uses_096(engine: Engine) -> None:
    """§12 participant: June's settlements as worked by hand in test_golden_v2 (§13)."""
    enrollment_id = add_enrolled(engine, "P-1")
    finalize_months(engine, H1_MONTHS)
    deductions = lines_of(engine, enrollment_id, "2025-06", "deduction")
    assert deductions["health_insurance_settlement"] == 6_400
    assert deductions["long_term_care_settlement"] == 800
    assert deductions["income_tax_settlement"] == -55_780  # final tax 0: all withheld back
    assert deductions["local_income_tax_settlement"] == -5_550
    with transaction(engine) as session:
        june = session.scalars(
            select(PayslipRow).where(
                PayslipRow.enrollment_id == enrollment_id, PayslipRow.month == "2025-06"
            )
        ).one()
        assert (june.gross, june.total_deductions, june.net) == (1_979_580, 113_660, 1_865_920)
        assert june.facts["declared_monthly_pay"] == 1_564_680
    uow = SqlUnitOfWork(engine)
    ledger = build_ledger(uow, resolve_scope(uow, month="2025-06"))
    employer = lines_of(engine, enrollment_id, "2025-06", "employer")
    assert employer["industrial_accident"] == 17_900  # Floor10(1,865,580 × 0.96 % = 17,909.6)
    assert employer["health_insurance_settlement"] == 6_400
    [cost] = [line for line in ledger.lines if line.cost_item == "employer_insurance"]
    # 70,380 + 55,460 + 7,180 + 6,400 + 800 + 32,640 (1,865,580 × 1.75 %) + 17,900
    assert cost.amount == sum(employer.values()) == 190_760


def test_year_to_date_of_an_earlier_enrollment_with_the_district(engine: Engine) -> None:
    """§13: P-2 worked Jan–Mar, then Apr–Jun; June's income-tax settlement adds the
    finalized Jan–Mar payslips (their settlements included)."""
    first = add_enrolled(engine, "P-2", end=date(2025, 3, 31))
    with transaction(engine) as session:
        person = session.get(EnrollmentRow, first).participant_pk  # type: ignore[union-attr]
        second = EnrollmentRow(
            participant_pk=person,
            program_code="dongheng",
            term_code="2025-H1",
            start=date(2025, 4, 1),
            end=date(2025, 6, 30),
            source="roster",
            created_at=session.get(EnrollmentRow, first).created_at,  # type: ignore[union-attr]
        )
        session.add(second)
        session.flush()
        second_id = second.id
        catalog, calendar = read_catalog(session).rate_book, holiday_calendar(session)
        table = withholding_table(session)
    finalize_months(engine, H1_MONTHS)

    earlier = Enrollment("P-2", "dongheng", date(2025, 1, 10), date(2025, 3, 31), date(1970, 5, 1))
    slips = calculate_enrollment(PayContext(earlier, (), None, catalog, calendar, table))
    figures = [MonthFigures.of(s) for s in slips]

    def total(*codes: str) -> int:
        return sum(f.amount(code) for f in figures for code in codes)

    ytd = YearToDate(
        taxable=sum(f.taxable for f in figures),
        income_tax=total("income_tax", "income_tax_settlement"),
        local_income_tax=total("local_income_tax", "local_income_tax_settlement"),
        national_pension=total("national_pension"),
        health_insurance=total("health_insurance", "health_insurance_settlement"),
        long_term_care=total("long_term_care", "long_term_care_settlement"),
        employment_insurance=total("employment_insurance"),
    )
    later = Enrollment("P-2", "dongheng", date(2025, 4, 1), date(2025, 6, 30), date(1970, 5, 1))
    expected = calculate_month(
        PayContext(later, (), "2025-06", catalog, calendar, table), year_to_date=ytd
    )
    stored = lines_of(engine, second_id, "2025-06", "deduction")
    want = {line.code: line.amount for line in expected.deductions}
    assert stored == want
    # the year's 총급여 holds both enrollments: Jan–Mar's taxable pay came from the store
    # Jan 1,083,240 + Feb 1,444,320 + Mar 1,564,680 with its payout of 2 days 120,360 (§8)
    assert ytd.taxable == 4_212_600
    settlement = expected.settlement
    assert isinstance(settlement, Settlement)
    # Apr 1,504,500 (S = Tue 1 April: no allowance for 31 Mar – 6 Apr, §7) + May 1,564,680
    # + Jun 1,143,420 + 120,360 + 300,900 + payout 2 days 120,360 = 4,754,220
    assert settlement.income_tax.total_pay == 4_212_600 + 4_754_220
    with transaction(engine) as session:
        text = session.scalars(
            select(PayslipLineRow.explanation)
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .where(
                PayslipRow.enrollment_id == second_id,
                PayslipLineRow.code == "income_tax_settlement",
            )
        ).one()
    assert f"총급여 {settlement.income_tax.total_pay:,}원" in text

"""Properties of rulebook v2 (§9, §13): net pay with negative settlement lines, and the
income-tax settlement never leaves the year's tax negative."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import AttendanceRecord, NegativeNetPay, Status
from payroll.domain.settlement import YearToDate
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import CALENDAR, RATES, enrollment

TABLE = shipped_withholding_table()
JUNE_WORKDAYS = [
    date(2025, 6, d) for d in range(1, 31) if date(2025, 6, d).weekday() < 5 and d not in (3, 6)
]


@st.composite
def cases(draw: st.DrawFn) -> tuple:
    days = draw(st.lists(st.sampled_from(JUNE_WORKDAYS), max_size=6, unique=True))
    records = tuple(
        AttendanceRecord(
            day,
            status := draw(st.sampled_from([Status.WORKED, Status.ABSENT])),
            draw(st.integers(0, 10)) if status is Status.WORKED else None,
        )
        for day in sorted(days)
    )
    e = enrollment(
        birth=draw(st.sampled_from(["1970-05-01", "1963-02-01", "1958-07-07", "1995-12-31"])),
        dependents=draw(st.integers(1, 5)),
        children=draw(st.integers(0, 4)),
        declared=draw(st.one_of(st.none(), st.integers(1_000_000, 4_000_000))),
    )
    ytd = YearToDate(
        taxable=(taxable := draw(st.integers(0, 40_000_000))),
        income_tax=draw(st.integers(0, taxable // 20)),
        national_pension=draw(st.integers(0, taxable // 20)),
        health_insurance=draw(st.integers(0, taxable // 25)),
    )
    return e, records, ytd


@settings(max_examples=40, deadline=None)
@given(cases())
def test_net_is_gross_less_deductions_with_negative_lines(case: tuple) -> None:
    e, records, ytd = case
    try:
        june = calculate_month(
            PayContext(e, records, "2025-06", RATES, CALENDAR, TABLE), year_to_date=ytd
        )
    except NegativeNetPay:
        return  # held for review, never printed (§9)
    assert june.net == june.gross - sum(line.amount for line in june.deductions)
    assert june.gross == sum(line.amount for line in june.earnings)
    assert june.net >= 0
    settlement = june.settlement
    assert settlement is not None
    tax = settlement.income_tax
    withheld = tax.withheld  # the months' income tax plus the year-to-date
    # the year's tax after settlement: the final tax (a small positive rest is not collected)
    after = withheld + tax.difference
    assert after >= 0
    assert after in (tax.final_tax, withheld)
    assert tax.final_tax >= 0 and tax.final_tax % 10 == 0

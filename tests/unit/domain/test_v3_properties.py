"""Invariants of rulebook v3 (how-pay-is-calculated.md §5, §7, §8, §9), whatever the input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from payroll.domain.attendance import schedule_of
from payroll.domain.calendar import month_range, months_between
from payroll.domain.deductions import SMALL_TAX, TaxFacts, employee_deductions, insurance_cover
from payroll.domain.engine import PayContext, calculate_month, pay_date_of
from payroll.domain.model import AttendanceError, AttendanceRecord, NegativeNetPay, Status
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import CALENDAR, RATES, amounts, enrollment

TABLE = shipped_withholding_table()
SETTINGS = settings(max_examples=40, deadline=None)
NO_LEAVE_OR_HOLIDAY = {"holiday_pay", "weekly_allowance", "annual_leave_payout"}


@st.composite
def short_schedules(draw: st.DrawFn) -> tuple[Decimal, frozenset[int]]:
    """Daily hours (half hours) and Mon–Fri weekdays whose week is under 15 hours."""
    weekdays = frozenset(draw(st.sets(st.integers(0, 4), min_size=1)))
    most = min(16, (30 - 1) // len(weekdays))  # half hours: H × days < 15 h
    halves = draw(st.integers(1, most))
    return Decimal(halves) / 2, weekdays


@SETTINGS
@given(
    schedule=short_schedules(),
    start=st.dates(date(2025, 1, 1), date(2026, 6, 30)),
    length=st.integers(28, 180),
    program=st.sampled_from(["dongheng", "maeryeok"]),
    data=st.data(),
)
def test_under_15_hours_no_holiday_allowance_or_leave_lines(
    schedule: tuple[Decimal, frozenset[int]],
    start: date,
    length: int,
    program: str,
    data: st.DataObject,
) -> None:
    """§5, §7, §8 v3: no holiday pay, weekly allowance or leave payout, ever, and no leave."""
    hours, weekdays = schedule
    assert hours * len(weekdays) < 15
    end = start + timedelta(days=length)
    e = enrollment(
        start.isoformat(),
        end.isoformat(),
        program=program,
        daily_hours=str(hours),
        weekdays=weekdays,
    )
    month = data.draw(st.sampled_from(months_between(start, end)))
    first, last = month_range(month)
    days = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() in weekdays
        and start <= first + timedelta(days=n) <= end
        and not CALENDAR.is_holiday(first + timedelta(days=n))
    ]
    picked = data.draw(st.lists(st.sampled_from(days), unique=True, max_size=6)) if days else []
    statuses = st.sampled_from([Status.WORKED, Status.ABSENT, Status.OFFICIAL_LEAVE])
    records = []
    for day in picked:
        status = data.draw(statuses)
        worked_hours = Decimal(data.draw(st.integers(0, 20))) / 2
        records.append(
            AttendanceRecord(day, status, worked_hours if status is Status.WORKED else None)
        )
    try:
        slip = calculate_month(PayContext(e, records, month, RATES, CALENDAR, TABLE))
    except NegativeNetPay:
        assume(False)
        raise
    assert not NO_LEAVE_OR_HOLIDAY & set(amounts(slip.earnings))
    assert slip.leave.accrued == 0
    if program == "dongheng":
        assert slip.facts.weekly_allowance_weeks == 0
    if days:
        leave = AttendanceRecord(days[0], Status.ANNUAL_LEAVE)
        try:
            calculate_month(PayContext(e, [leave], month, RATES, CALENDAR, TABLE))
        except AttendanceError as refused:
            assert "근로기준법 제18조 제3항" in refused.reason
        else:
            raise AssertionError("annual_leave accepted under 15 hours a week")


@SETTINGS
@given(
    taxable=st.integers(1_000_000, 8_000_000),
    dependents=st.integers(1, 11),
    children=st.integers(0, 5),
    month=st.sampled_from(["2025-06", "2026-01", "2026-02", "2026-03", "2026-11"]),
)
def test_withheld_income_tax_is_zero_or_at_least_1_000(
    taxable: int, dependents: int, children: int, month: str
) -> None:
    """§9 v3 (소득세법 §86): the month's income tax is 0 or ≥ 1,000; local tax follows it."""
    e = enrollment("2025-01-01", "2026-12-31", dependents=dependents, children=children)
    first, _ = month_range(month)
    cover = insurance_cover(schedule_of(e, RATES.program("dongheng")), e.birth_date, first)
    reduction = RATES.child_reduction_on(pay_date_of(first)).amounts if children else None
    lines = employee_deductions(
        1_564_680,
        taxable,
        taxable,
        TaxFacts(dependents, children, reduction),
        cover,
        RATES.insurance_rates(first.year),
        RATES.pension_bounds_on(first),
        TABLE,
    )
    tax = amounts(lines)["income_tax"]
    local = amounts(lines)["local_income_tax"]
    assert tax == 0 or tax >= SMALL_TAX
    assert (tax == 0) is (local == 0)
    table_tax = TABLE.tax(taxable, dependents) if taxable >= 1_060_000 else 0
    less = reduction.amount(children) if reduction is not None else 0
    expected = max(0, table_tax - less)
    assert tax == (expected if expected >= SMALL_TAX else 0)

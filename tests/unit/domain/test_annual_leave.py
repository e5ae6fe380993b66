"""Annual-leave accrual and balance (연차, how-pay-is-calculated.md §8)."""

from __future__ import annotations

from datetime import date

from payroll.domain.annual_leave import accrual_dates, balance_on


def test_five_days_for_the_h1_term() -> None:
    """§8: S = 10 Jan, E = 30 June: 10 Feb, 10 Mar, 10 Apr, 10 May, 10 Jun."""
    assert accrual_dates(date(2025, 1, 10), date(2025, 6, 30), ()) == [
        date(2025, 2, 10),
        date(2025, 3, 10),
        date(2025, 4, 10),
        date(2025, 5, 10),
        date(2025, 6, 10),
    ]


def test_absence_cancels_only_its_own_period() -> None:
    # 9 Mar is the last day of period 2 (10 Feb – 9 Mar); 10 Mar starts period 3.
    dates = accrual_dates(date(2025, 1, 10), date(2025, 6, 30), {date(2025, 3, 7)})
    assert date(2025, 3, 10) not in dates and date(2025, 4, 10) in dates and len(dates) == 4
    dates = accrual_dates(date(2025, 1, 10), date(2025, 6, 30), {date(2025, 3, 10)})
    assert date(2025, 3, 10) in dates and date(2025, 4, 10) not in dates


def test_accrual_on_the_end_date_counts() -> None:
    assert accrual_dates(date(2025, 1, 10), date(2025, 2, 10), ()) == [date(2025, 2, 10)]
    assert accrual_dates(date(2025, 1, 10), date(2025, 2, 9), ()) == []


def test_month_end_start_clamps() -> None:
    dates = accrual_dates(date(2025, 1, 31), date(2025, 4, 30), ())
    assert dates == [date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]


def test_balance_on_a_day() -> None:
    accruals = [date(2025, 2, 10), date(2025, 3, 10)]
    balance = balance_on(accruals, [date(2025, 3, 12)], date(2025, 3, 31))
    assert (balance.accrued, balance.used, balance.balance) == (2, 1, 1)
    balance = balance_on(accruals, [date(2025, 3, 12)], date(2025, 2, 28))
    assert (balance.accrued, balance.used, balance.balance) == (1, 0, 1)

"""Carried-over pay (미지급분, 반환 재지급, 환수) on the payslip of a later month."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.domain.carryover import (
    HELD_CODE,
    HELD_EXPENSE_CODE,
    RECOVERY_CODE,
    RECOVERY_EXPENSE_CODE,
    RETURNED_CODE,
    CarryKind,
    Carryover,
    settle,
)
from payroll.domain.run_member import EnrolledParticipant, RunMember, month_payslip
from tests.support.pay import CALENDAR, FAKE_TAX, RATES, enrollment

H1 = enrollment("2025-01-10", "2025-06-30")


def person(*items: Carryover) -> EnrolledParticipant:
    return EnrolledParticipant(
        RunMember(1, 1, "P-001", "11110", "004", "1234", H1), carryovers=list(items)
    )


def held(released: bool) -> Carryover:
    return Carryover(
        1, 1, CarryKind.HELD, "2025-03", 1_100_000, 54_000, "계좌 미제출", 0, 7,
        "이팀장" if released else None,
    )  # fmt: skip


def codes(slip) -> dict[str, tuple[int, str | None]]:  # type: ignore[no-untyped-def]
    return {line.code: (line.amount, line.ref_month) for line in slip.earnings}


def test_a_held_month_is_paid_once_released_or_in_the_final_month() -> None:
    alone = month_payslip(person(), "2025-04", RATES, CALENDAR, FAKE_TAX)
    kept = month_payslip(person(held(False)), "2025-04", RATES, CALENDAR, FAKE_TAX)
    assert kept == alone  # held, not released: April pays nothing of March
    april = month_payslip(person(held(True)), "2025-04", RATES, CALENDAR, FAKE_TAX)
    lines = codes(april)
    # the taxable part as held_pay (taxable), the meal allowance as held_expense_allowance
    assert lines[HELD_CODE] == (1_100_000, "2025-03")
    assert lines[HELD_EXPENSE_CODE] == (54_000, "2025-03")
    assert april.gross == alone.gross + 1_154_000
    assert april.taxable == alone.taxable + 1_100_000
    assert april.non_taxable == alone.non_taxable + 54_000
    june = month_payslip(person(held(False)), "2025-06", RATES, CALENDAR, FAKE_TAX)
    assert codes(june)[HELD_CODE] == (1_100_000, "2025-03")  # the final settlement at latest
    paid = Carryover(1, 1, CarryKind.HELD, "2025-03", 1_100_000, 54_000, "", 1_154_000, 7, "이")
    assert HELD_CODE not in codes(month_payslip(person(paid), "2025-05", RATES, CALENDAR, FAKE_TAX))


def test_a_returned_transfer_is_paid_again_without_being_taxed_twice() -> None:
    returned = Carryover(2, 1, CarryKind.RETURNED, "2025-03", 0, 1_234_560, "해지 계좌", 0, 7)
    alone = month_payslip(person(), "2025-04", RATES, CALENDAR, FAKE_TAX)
    april = month_payslip(person(returned), "2025-04", RATES, CALENDAR, FAKE_TAX)
    assert codes(april)[RETURNED_CODE] == (1_234_560, "2025-03")
    # its deductions were withheld in March: April's are unchanged, net grows by all of it
    assert april.deductions == alone.deductions
    assert april.net == alone.net + 1_234_560


@settings(max_examples=40, deadline=None)
@given(
    taxable=st.integers(min_value=0, max_value=4_000_000),
    non_taxable=st.integers(min_value=0, max_value=200_000),
)
def test_a_recovery_never_takes_net_pay_below_zero(taxable: int, non_taxable: int) -> None:
    owed = Carryover(3, 9, CarryKind.RECOVERY, "2025-02", -taxable, -non_taxable, "환수", 0)
    alone = month_payslip(person(), "2025-04", RATES, CALENDAR, FAKE_TAX)
    april = month_payslip(person(owed), "2025-04", RATES, CALENDAR, FAKE_TAX)
    lines = codes(april)
    recovered = -sum(lines.get(c, (0, None))[0] for c in (RECOVERY_CODE, RECOVERY_EXPENSE_CODE))
    assert april.net >= 0
    # as much as the month's net allows, never more than owed; the rest stays owed
    assert recovered == min(taxable + non_taxable, alone.net)
    assert all(lines[c][1] == "2025-02" for c in lines if c.startswith("overpayment"))


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=900_000), min_size=1, max_size=4),
    paid=st.integers(min_value=0, max_value=4_000_000),
)
def test_settling_pays_each_amount_at_most_once(amounts: list[int], paid: int) -> None:
    items = [
        Carryover(i + 1, 1, CarryKind.RETURNED, "2025-03", 0, a, "") for i, a in enumerate(amounts)
    ]
    shares = settle(items, CarryKind.RETURNED, "2025-03", paid)
    assert sum(shares.values()) == min(paid, sum(amounts))
    assert all(0 < shares[c.id] <= c.total for c in items if c.id in shares)


def test_a_correction_lowering_a_month_is_taken_only_as_far_as_net_pay_allows() -> None:
    """§16 with a lowering larger than the next month's pay: net pay stays at zero or above
    and the rest stays due (the next run takes it, §17)."""
    from datetime import date, timedelta

    from payroll.domain.engine import PayContext, calculate_month
    from payroll.domain.retro import RETRO_CODES, MonthPay
    from tests.support.pay import absent

    march_days = [date(2025, 3, 3) + timedelta(days=i) for i in range(29)]
    away = [absent(d.isoformat()) for d in march_days if d.weekday() < 5][2:]  # 2 days worked
    person = EnrolledParticipant(
        RunMember(1, 1, "P-001", "11110", "004", "1234", H1),
        attendance=away,
        corrections=[absent("2025-02-12")],
        finalized={"2025-02": MonthPay(3_000_000, 0)},  # far more than February recalculated
    )
    alone = calculate_month(PayContext(H1, away, "2025-03", RATES, CALENDAR, FAKE_TAX))
    march = month_payslip(person, "2025-03", RATES, CALENDAR, FAKE_TAX)
    taken = -sum(x.amount for x in march.earnings if x.code in RETRO_CODES)
    assert march.net >= 0 and 0 < taken == alone.net  # all of March's net, no more
    assert "다음 급여에서" in next(x.explanation for x in march.earnings if x.code in RETRO_CODES)

"""The participation pay cut (참여횟수 제한 감액): a limit rule's percentage off own pay.

A participant over a ``pay_cut`` limit rule is paid, each month, the month's own taxable
pay (its rule lines and the taxable part of the meal allowance; retro lines excluded)
less ``percent`` of it, truncated to the won, as a negative ``participation_pay_cut`` line.
"""

from __future__ import annotations

from decimal import Decimal

from payroll.domain.model import Adjustment
from payroll.domain.money import won

PAY_CUT_CODE = "participation_pay_cut"


def pay_cut(taxable: int, percent: Decimal | None) -> int:
    """The participation pay cut (won, truncated) of a month's own taxable pay."""
    return int(taxable * percent / 100) if percent else 0


def pay_cut_adjustment(own_taxable: int, percent: Decimal | None) -> Adjustment | None:
    """The month's pay-cut line for its own taxable pay; ``None`` when there is no cut."""
    cut = pay_cut(own_taxable, percent)
    if not cut or percent is None:
        return None
    return Adjustment(
        PAY_CUT_CODE, -cut, f"참여횟수 제한 감액: {won(own_taxable)} × {percent.normalize():f}%"
    )

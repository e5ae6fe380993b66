"""Schedules under 15 hours a week (초단시간 근로; how-pay-is-calculated.md §5, §7, §8, §9).

근로기준법 §18③: a worker scheduled for fewer than 15 hours a week gets neither the paid
days of §55 (public holidays, the weekly paid day) nor the annual leave of §60. Version 3
of the pay rules applies that everywhere: no ``holiday_pay``, no weekly allowance and no
weekly-allowance hours in §6's monthly hours or in D, no leave accrual or payout.
"""

from __future__ import annotations

from decimal import Decimal

MIN_WEEKLY_HOURS = Decimal(15)
"""주 소정근로시간 15시간: below it §55 and §60 do not apply."""

RULE = "근로기준법 제18조 제3항"
"""The law a refusal names."""


def under_15_hours(weekly_hours: Decimal) -> bool:
    """True when the schedule's weekly hours (H × scheduled weekdays) are under 15."""
    return weekly_hours < MIN_WEEKLY_HOURS


def no_leave_reason(weekly_hours: Decimal) -> str:
    """The Korean reason an ``annual_leave`` day is refused for such a schedule."""
    hours = format(weekly_hours.normalize(), "f")
    return (
        f"주 소정근로시간 {hours}시간(15시간 미만)인 일정에는 연차유급휴가가 없어 "
        f"annual_leave(연차)를 기록할 수 없습니다 ({RULE}, 임금 계산 방법 §8)"
    )


def payslip_notes(weekly_hours: Decimal) -> tuple[str, ...]:
    """The payslip's note why a schedule under 15 hours a week has no paid days or leave."""
    if not under_15_hours(weekly_hours):
        return ()
    hours = format(weekly_hours.normalize(), "f")
    return (f"주 소정근로 {hours}시간(15시간 미만): 유급휴일·주휴수당·연차 없음 ({RULE})",)

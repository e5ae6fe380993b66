"""Adjustment lines: computed outside the month's own rules and passed to the engine, which
prints them after the rule lines in the order given (retro lines, carried-over lines,
then the pay cut): §16 retro (:mod:`payroll.domain.retro`), §17 carried-over pay
(:mod:`payroll.domain.carryover`), the participation pay cut (:mod:`payroll.domain.pay_cut`)."""

from __future__ import annotations

from payroll.domain.carryover import (
    HELD_CODE,
    HELD_EXPENSE_CODE,
    RECOVERY_CODE,
    RECOVERY_EXPENSE_CODE,
    RETURNED_CODE,
)
from payroll.domain.pay_cut import PAY_CUT_CODE
from payroll.domain.pay_lines.registry import declare
from payroll.domain.retro import RETRO_CODE, RETRO_EXPENSE_CODE

declare(RETRO_CODE, 100, "소급 정산")
declare(RETRO_EXPENSE_CODE, 110, "소급 정산(실비)")
declare(HELD_CODE, 120, "미지급분(보류 해제)")
declare(HELD_EXPENSE_CODE, 130, "미지급분(실비)")
declare(RETURNED_CODE, 140, "반환 재지급")
declare(RECOVERY_CODE, 150, "과지급 환수")
declare(RECOVERY_EXPENSE_CODE, 160, "과지급 환수(실비)")
declare(PAY_CUT_CODE, 170, "참여제한 감액")

"""§5 meal allowance (식비·간식비), last among earnings: the part within the month's tax-free
cap (non-taxable) and the excess (taxable, insurable); the engine splits it with
:func:`payroll.domain.hourly.meal_allowance_lines`."""

from __future__ import annotations

from payroll.domain.hourly import EXPENSE_ALLOWANCE_TAXABLE
from payroll.domain.pay_lines.registry import declare

EXPENSE_ALLOWANCE = "expense_allowance"

declare(EXPENSE_ALLOWANCE, 200, "식비(간식비)")
declare(EXPENSE_ALLOWANCE_TAXABLE, 210, "식비(간식비) 과세분")

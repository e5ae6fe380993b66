"""Withholding tables by 시행일: each month uses the table in force on its pay date (§9).

A new 간이세액표 applies to pay dates from its effective date; recalculating an earlier
month (a correction, a settlement) keeps using the table that was in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payroll.domain.deductions import TaxTable


@dataclass(frozen=True)
class DatedTaxTables:
    """The base table (in force from the start) and later tables with their 시행일."""

    base: TaxTable
    dated: tuple[tuple[date, TaxTable], ...] = ()  # (effective from, table), any order

    def on(self, pay_date: date) -> TaxTable:
        """The table in force on ``pay_date``: the latest one effective by then."""
        started = [(day, i) for i, (day, _) in enumerate(self.dated) if day <= pay_date]
        if not started:
            return self.base
        return self.dated[max(started)[1]][1]

    def tax(self, taxable_pay: int, dependents: int) -> int:
        """The newest table's tax (a caller that knows no pay date)."""
        return self.on(date.max).tax(taxable_pay, dependents)


def table_for(withholding: TaxTable, pay_date: date) -> TaxTable:
    """``withholding`` itself, or the table of ``pay_date`` when tables are dated."""
    if isinstance(withholding, DatedTaxTables):
        return withholding.on(pay_date)
    return withholding

"""What a correction of finalized months will carry over, before it is saved.

For each participant of a correction file: per corrected finalized month, the difference
the next run pays (§16: recalculated less finalized less what was already carried; a
negative difference is taken back from that pay). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from payroll.domain.retro import MonthPay, retro_lines
from payroll.formats.tabular import RowError
from payroll.services.imports.attendance import plan_corrections
from payroll.services.runs.inputs import load_inputs
from payroll.services.unit_of_work import UnitOfWork

_LAST = "9999-12"


@dataclass(frozen=True)
class PreviewLine:
    """One participant's carried-over amount for one corrected month."""

    participant_id: str
    month: str
    taxable: int
    non_taxable: int

    @property
    def amount(self) -> int:
        return self.taxable + self.non_taxable


def preview_corrections(uow: UnitOfWork, path: Path) -> tuple[list[RowError], list[PreviewLine]]:
    """The file's row errors, or each participant's carried-over amounts per month."""
    errors, days = plan_corrections(uow, path)
    if errors or not days:
        return errors, []
    with uow:
        people = load_inputs(uow, _LAST, uow.run_inputs.members_by_id(sorted(days)))
        paid = uow.run_inputs.finalized_pay(sorted(days))
        rates = uow.catalog.read().rate_book
        calendar, table = uow.catalog.holidays(), uow.catalog.withholding_table()
    out = []
    for person in people:
        finalized: dict[str, MonthPay] = {}
        carried: dict[str, MonthPay] = {}
        for enrollment_id, month, ref, pay in paid:
            if enrollment_id != person.enrollment_id:
                continue
            target = carried if ref is not None else finalized
            key = ref if ref is not None else month
            target[key] = target.get(key, MonthPay()) + pay
        merged = {c.day: c for c in person.corrections}
        merged.update({r.day: r for r in days[person.enrollment_id]})
        lines = retro_lines(
            person.enrollment,
            person.attendance,
            sorted(merged.values(), key=lambda r: r.day),
            _LAST,
            finalized,
            carried,
            rates,
            calendar,
            table,
            person.pay_cut_percent,
        )
        months: dict[str, MonthPay] = {}
        for line in lines:
            a = line.adjustment
            part = MonthPay(a.amount, 0) if a.taxable else MonthPay(0, a.amount)
            months[line.month] = months.get(line.month, MonthPay()) + part
        for month, pay in sorted(months.items()):
            out.append(PreviewLine(person.participant_id, month, pay.taxable, pay.non_taxable))
    return [], sorted(out, key=lambda x: (x.participant_id, x.month))

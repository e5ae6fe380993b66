"""The finance page of the console: a month's reconciliation and its city/district split,
with district and program names instead of codes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from payroll.domain.runs import run_state_name
from payroll.services.common.access import Action, Actor, require
from payroll.services.ledger.reconcile import ALL, ReconcileReport, reconcile_month
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SplitRow:
    """One district × program of the ledger: labour cost and who pays which part."""

    district: str  # name
    program: str  # name
    participants: int
    amount: int
    city_share: int
    district_share: int
    city_ratio: Decimal

    @property
    def ratio_text(self) -> str:
        city = (self.city_ratio * 100).normalize()
        return f"시 {city:f}% : 구 {(100 - city).normalize():f}%"


@dataclass(frozen=True)
class LedgerView:
    """What the ledger page shows for a month."""

    month: str
    report: ReconcileReport
    names: dict[tuple[str, str], tuple[str, str]]
    split: tuple[SplitRow, ...]
    notes: tuple[str, ...]  # runs left out of the ledger, in words
    differences: tuple[str, ...]

    @property
    def nothing_finalized(self) -> bool:
        """No finalized payslip this month: there is nothing to reconcile."""
        return self.report.overall.payslips == 0 and len(self.report.rows) <= 1

    def name_of(self, district: str, program: str) -> tuple[str, str]:
        if district == ALL:
            return "전체", ""
        return self.names.get((district, program), (district, program))


def ledger_view(uow: UnitOfWork, actor: Actor, month: str) -> LedgerView:
    """The month's reconciliation and city/district split, for finance and the city."""
    require(actor, Action.RECONCILE)
    report = reconcile_month(uow, month)
    with uow:
        districts = uow.names.districts()
        programs = uow.names.programs()

    def names(district: str, program: str) -> tuple[str, str]:
        return districts.get(district, district), programs.get(program, program)

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for line in report.ledger.lines if report.ledger else ():
        groups[(line.district, line.program)].append(line)
    split = tuple(
        SplitRow(
            *names(district, program),
            participants=max(ln.participants for ln in lines),
            amount=sum(ln.amount for ln in lines),
            city_share=sum(ln.city_share for ln in lines),
            district_share=sum(ln.district_share for ln in lines),
            city_ratio=lines[0].city_ratio,
        )
        for (district, program), lines in sorted(groups.items())
    )
    notes = tuple(
        f"{' '.join(names(u.district, u.program))}: 아직 확정되지 않아"
        f"({run_state_name(u.state)}) 대장에 넣지 않았습니다"
        for u in report.unfinalized
    )
    differences = tuple(
        f"{'전체' if d.district == ALL else ' '.join(names(d.district, d.program))}"
        f"{f', 참여자 {d.participant}' if d.participant else ''}: {d.item}: "
        f"{d.actual:,} ≠ {d.expected:,} (차이 {d.won:+,}원)"
        for d in report.differences
    )
    all_names = {(r.district, r.program): names(r.district, r.program) for r in report.rows}
    return LedgerView(report.month, report, all_names, split, notes, differences)

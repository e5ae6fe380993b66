"""Reconciliation (대사): the ledger of a month equals its finalized payslips, to the won.

For every finalized run of the month (district, program) and for the month overall:

* ledger ``wages`` + ``expense_allowance`` (from the payslip lines) = Σ payslip gross;
* ledger ``employer_insurance`` = Σ payslip employer totals;
* ledger total (labour cost) = Σ (gross + employer total) of the payslips;
* the payment-file total, Σ net pay, = Σ gross − Σ deductions.

Each payslip's own lines are checked against its stored totals as well (so a difference
names the participant), and each run's stored totals against its payslips. Anything that
does not agree is a :class:`Difference` naming district, program, item and won.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from payroll.domain.carryover import CarryKind
from payroll.domain.ledger import EXPENSE_ALLOWANCE, Ledger, PayslipFigures, Scope, UnfinalizedRun
from payroll.domain.runs import RunRecord, RunState
from payroll.services.ledger.build import build_ledger, check_month
from payroll.services.runs.carryovers import OpenCarryover, open_carryovers
from payroll.services.runs.payee_snapshot import snapshot_totals
from payroll.services.runs.retro_check import RetroDifference, retro_differences
from payroll.services.unit_of_work import UnitOfWork

ALL = "*"
"""District or program of the month's overall row."""


@dataclass(frozen=True)
class ReconcileRow:
    """The figures of one (district, program), or of the month overall (``*``)."""

    district: str
    program: str
    payslips: int
    ledger_gross: int  # ledger wages + expense_allowance
    payslip_gross: int
    ledger_employer: int  # ledger employer_insurance
    payslip_employer: int
    ledger_total: int  # the ledger's labour cost (all three items)
    payslip_total: int  # Σ gross + employer total
    net: int  # Σ net pay: the payment-file total
    gross_less_deductions: int

    @property
    def ok(self) -> bool:
        return (
            self.ledger_gross == self.payslip_gross
            and self.ledger_employer == self.payslip_employer
            and self.ledger_total == self.payslip_total
            and self.net == self.gross_less_deductions
        )


@dataclass(frozen=True)
class Difference:
    """A figure that does not agree: where, what, the two sides and the gap in won."""

    district: str
    program: str
    item: str
    expected: int
    actual: int
    participant: str | None = None

    @property
    def won(self) -> int:
        return self.actual - self.expected

    @property
    def message(self) -> str:
        where = (
            "전체 자치구, 전체 사업"
            if self.district == ALL
            else (f"자치구 {self.district}, 사업 {self.program}")
        )
        who = f", 참여자 {self.participant}" if self.participant else ""
        return (
            f"{where}{who}: {self.item}: {self.actual:,} ≠ {self.expected:,} (차이 {self.won:+,}원)"
        )


@dataclass(frozen=True)
class ReconcileReport:
    """The outcome of :func:`reconcile_month`: ``ok`` when there is no difference."""

    month: str
    ok: bool
    rows: tuple[ReconcileRow, ...]  # per (district, program), then the overall row
    differences: tuple[Difference, ...]
    unfinalized: tuple[UnfinalizedRun, ...] = ()
    ledger: Ledger | None = None
    retro: tuple[RetroDifference, ...] = ()  # §16: corrections paid ≠ due (and pending)
    owed: tuple[OpenCarryover, ...] = ()  # held, returned, recovery of this month or before

    @property
    def unpaid_returns(self) -> tuple[OpenCarryover, ...]:
        """Returned transfers not yet paid again nor written off: the month cannot agree."""
        return tuple(o for o in self.owed if o.carryover.kind is CarryKind.RETURNED)

    @property
    def overall(self) -> ReconcileRow:
        return self.rows[-1]


def reconcile_month(uow: UnitOfWork, month: str) -> ReconcileReport:
    """Prove the ledger of ``month`` equals its finalized payslips and payment total."""
    month = check_month(month)
    with uow:
        scope = Scope(month, (month,))
        ledger = build_ledger(uow, scope)
        payslips = uow.ledger.finalized_payslips(scope)
        runs = {
            (r.district_code, r.program_code): r
            for r in uow.runs.list(month, state=RunState.FINALIZED)
        }
        differences = [*_payslip_differences(payslips)]
        rows = []
        by_group: dict[tuple[str, str], list[PayslipFigures]] = defaultdict(list)
        for payslip in payslips:
            by_group[(payslip.run.district, payslip.run.program)].append(payslip)
        for district, program in sorted(runs):
            group = by_group.get((district, program), [])
            lines = [ln for ln in ledger.lines if (ln.district, ln.program) == (district, program)]
            row = _row(district, program, lines, group)
            rows.append(row)
            differences.extend(_row_differences(row))
            differences.extend(_run_differences(runs[(district, program)], group))
            differences.extend(_snapshot_differences(uow, runs[(district, program)]))
        overall = _row(ALL, ALL, ledger.lines, payslips)
        rows.append(overall)
        differences.extend(_row_differences(overall))
        retro = tuple(retro_differences(uow, month))
        owed = tuple(
            o
            for o in open_carryovers(uow)
            if o.carryover.ref_month <= month and (o.district, o.program) in runs
        )
    returns = [o for o in owed if o.carryover.kind is CarryKind.RETURNED]
    return ReconcileReport(
        month=month,
        ok=not differences and not any(not r.pending for r in retro) and not returns,
        owed=owed,
        retro=retro,
        rows=tuple(rows),
        differences=tuple(differences),
        unfinalized=ledger.unfinalized,
        ledger=ledger,
    )


def _row(
    district: str, program: str, lines: Iterable, payslips: list[PayslipFigures]
) -> ReconcileRow:
    item_sums: dict[str, int] = defaultdict(int)
    for line in lines:
        item_sums[line.cost_item] += line.amount
    gross = sum(p.gross for p in payslips)
    employer = sum(p.employer_total for p in payslips)
    return ReconcileRow(
        district=district,
        program=program,
        payslips=len(payslips),
        ledger_gross=item_sums["wages"] + item_sums[EXPENSE_ALLOWANCE],
        payslip_gross=gross,
        ledger_employer=item_sums["employer_insurance"],
        payslip_employer=employer,
        ledger_total=sum(item_sums.values()),
        payslip_total=gross + employer,
        net=sum(p.net for p in payslips),
        gross_less_deductions=gross - sum(p.total_deductions for p in payslips),
    )


def _row_differences(row: ReconcileRow) -> list[Difference]:
    checks = [
        ("원장 임금+식비 vs 명세서 총지급액", row.payslip_gross, row.ledger_gross),
        (
            "원장 사업주 보험료 vs 명세서 사업주 부담 합계",
            row.payslip_employer,
            row.ledger_employer,
        ),
        (
            "원장 합계(인건비) vs 명세서 총지급액 + 사업주 부담",
            row.payslip_total,
            row.ledger_total,
        ),
        ("실지급액(지급 파일 합계) vs 총지급액 − 공제", row.gross_less_deductions, row.net),
    ]
    return [
        Difference(row.district, row.program, item, expected, actual)
        for item, expected, actual in checks
        if expected != actual
    ]


def _payslip_differences(payslips: Iterable[PayslipFigures]) -> Iterator[Difference]:
    for p in payslips:
        lines_gross = p.items["wages"] + p.items[EXPENSE_ALLOWANCE]
        checks = [
            ("지급 항목 합 vs 명세서 총지급액", p.gross, lines_gross),
            (
                "사업주 부담 항목 합 vs 명세서 사업주 부담 합계",
                p.employer_total,
                p.items["employer_insurance"],
            ),
            ("공제 항목 합 vs 명세서 공제 합계", p.total_deductions, p.deduction_lines),
            ("명세서 실지급액 vs 총지급액 − 공제", p.gross - p.total_deductions, p.net),
        ]
        for item, expected, actual in checks:
            if expected != actual:
                yield Difference(
                    p.run.district,
                    p.run.program,
                    item,
                    expected,
                    actual,
                    participant=p.participant_id,
                )


def _run_differences(run: RunRecord, payslips: list[PayslipFigures]) -> list[Difference]:
    checks = [
        ("급여 실행 총지급액 vs 명세서 합", sum(p.gross for p in payslips), run.gross),
        (
            "급여 실행 공제 합계 vs 명세서 합",
            sum(p.total_deductions for p in payslips),
            run.total_deductions,
        ),
        ("급여 실행 실지급액 vs 명세서 합", sum(p.net for p in payslips), run.net),
        (
            "급여 실행 사업주 부담 vs 명세서 합",
            sum(p.employer_total for p in payslips),
            run.employer_total,
        ),
    ]
    return [
        Difference(run.district_code, run.program_code, item, expected, actual)
        for item, expected, actual in checks
        if expected != actual
    ]


def _snapshot_differences(uow: UnitOfWork, run: RunRecord) -> list[Difference]:
    """The payment file's payees (the snapshot taken at finalization) against the frozen run."""
    payees, net = snapshot_totals(uow, run)
    checks = [
        ("지급 파일 수취인 수(스냅숏) vs 급여 실행 참여자 수", run.participant_count, payees),
        ("지급 파일 합계(스냅숏) vs 급여 실행 실지급액", run.net, net),
    ]
    return [
        Difference(run.district_code, run.program_code, item, expected, actual)
        for item, expected, actual in checks
        if expected != actual
    ]

"""The cost-sharing ledger (시·구 분담 원장, how-pay-is-calculated.md §10), pure.

One ledger line per (month, district, program, cost item) of every *finalized* payroll run
in scope, for the cost items

* ``wages`` (인건비): the payslips' earning lines except the expense allowance;
* ``expense_allowance`` (식비·간식비): the ``expense_allowance`` earning lines and their
  corrections (``retro_expense_allowance``); the part above the tax-free cap,
  ``expense_allowance_taxable``, counts as wages;
* ``employer_insurance`` (사업주 부담 보험료): every employer line.

So wages + expense allowance = gross earnings, and the three together = labour cost.
Every finalized run gives all three lines, zero amounts included, so the shape of a ledger
never depends on the data. A line's ``participants`` counts the payslips with a nonzero
amount of that item (a 매력일자리 run's ``expense_allowance`` line has 0 participants),
and the detail rows are exactly those payslips. Each line is split by its program-year's
city ratio (a ratio change in 2026 is a data change), and its shares are allocated to the
participants by largest remainder so that they add up to the line.

Runs that are still ``calculated`` or ``approved`` are never in a ledger; they come back
in :attr:`Ledger.unfinalized` so that the caller reports them. Cancelled runs are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from payroll.domain.cost_share import Share, allocate, split
from payroll.domain.labels import run_state_name
from payroll.domain.runs import RunState

COST_ITEMS = ("wages", "expense_allowance", "employer_insurance")
"""The ledger's cost items (비용항목), in ledger order."""

EXPENSE_ALLOWANCE = "expense_allowance"
EXPENSE_CODES = (EXPENSE_ALLOWANCE, "retro_expense_allowance", "held_expense_allowance")
"""Earning lines of the 실비 cost item: the allowance and its correction (§16)."""
UNFINALIZED_STATES = (RunState.CALCULATED, RunState.APPROVED)


@dataclass(frozen=True)
class OwedAmount:
    """Pay of a month in scope not yet settled: held (owed to the participant), a returned
    transfer (owed to the participant) or a recovery (owed by the participant)."""

    participant_id: str
    district: str
    program: str
    month: str
    kind: str  # Korean: 지급 보류, 이체 반환, 환수
    amount: int  # won; negative: the participant owes it
    reason: str

    @property
    def message(self) -> str:
        side = "참여자에게 줄 금액" if self.amount > 0 else "참여자가 돌려줄 금액"
        return (
            f"{self.participant_id} {self.month} {self.kind} 미정산 {self.amount:,}원 "
            f"({side}; {self.reason})"
        )


@dataclass(frozen=True)
class Scope:
    """What a ledger covers: months, optionally one program and one district.

    ``program_months`` is set for a term: each program of that term with its own months.
    """

    label: str  # "2025-03", "2025-H1", "2025-01..2025-06"
    months: tuple[str, ...]
    program: str | None = None
    district: str | None = None  # district code
    program_months: Mapping[str, frozenset[str]] | None = None

    @property
    def programs(self) -> tuple[str, ...] | None:
        if self.program_months is not None:
            return tuple(sorted(self.program_months))
        return None if self.program is None else (self.program,)

    def includes(self, month: str, program: str, district: str) -> bool:
        if month not in self.months:
            return False
        if self.district is not None and district != self.district:
            return False
        if self.program_months is not None:
            return month in self.program_months.get(program, frozenset())
        return self.program is None or program == self.program


@dataclass(frozen=True)
class RunKey:
    """A payroll run's (month, district, program)."""

    month: str
    district: str
    program: str


@dataclass(frozen=True)
class PayslipFigures:
    """One finalized payslip: its cost items summed from its lines, and its stored totals."""

    payslip_id: int
    run: RunKey
    participant_id: str
    name: str
    enrollment_id: int
    items: Mapping[str, int]  # cost item -> won, from the payslip lines
    deduction_lines: int  # sum of the deduction lines
    gross: int  # stored on the payslip
    total_deductions: int
    net: int
    employer_total: int


@dataclass(frozen=True)
class UnfinalizedRun:
    """A run in scope that is not finalized, so not in the ledger."""

    month: str
    district: str
    program: str
    state: str

    @property
    def message(self) -> str:
        return (
            f"{self.month} {self.district} {self.program}: 급여 실행이 확정 전"
            f"({run_state_name(self.state)}, {self.state})이라 원장에 넣지 않았습니다"
        )


@dataclass(frozen=True)
class LedgerLine:
    """One ledger line: (month, district, program, cost item) and its city/district split."""

    month: str
    district: str  # code
    program: str  # code
    cost_item: str
    participants: int
    amount: int
    city_share: int
    district_share: int
    city_ratio: Decimal


@dataclass(frozen=True)
class DetailRow:
    """One participant's part of a ledger line (largest-remainder allocation)."""

    participant_id: str
    name: str
    district: str
    program: str
    month: str
    cost_item: str
    amount: int
    city_share: int
    district_share: int


@dataclass(frozen=True)
class Ledger:
    """A built ledger with its detail rows and the runs it had to leave out."""

    scope: Scope
    lines: tuple[LedgerLine, ...]
    details: tuple[DetailRow, ...]
    unfinalized: tuple[UnfinalizedRun, ...]
    district_names: Mapping[str, str] = field(default_factory=dict)
    program_names: Mapping[str, str] = field(default_factory=dict)
    owed: tuple[OwedAmount, ...] = ()  # held, returned, recovery not yet settled

    @property
    def warnings(self) -> list[str]:
        """What the caller must tell the user: unfinalized runs left out, amounts owed."""
        return [run.message for run in self.unfinalized] + [o.message for o in self.owed]

    @property
    def total(self) -> Share:
        return Share(
            sum(line.city_share for line in self.lines),
            sum(line.district_share for line in self.lines),
        )


CityRatio = Callable[[str, int], Decimal]
"""(program, year) → the city's ratio of that program-year."""


def build_ledger(
    scope: Scope,
    runs: Iterable[RunKey],
    payslips: Iterable[PayslipFigures],
    unfinalized: Iterable[UnfinalizedRun],
    city_ratio: CityRatio,
    district_names: Mapping[str, str] | None = None,
    program_names: Mapping[str, str] | None = None,
) -> Ledger:
    """The ledger of the finalized ``runs`` in ``scope`` and their ``payslips``.

    Runs and payslips outside ``scope`` are left out, so a store may over-select.
    """
    by_run: dict[RunKey, list[PayslipFigures]] = defaultdict(list)
    for payslip in payslips:
        if scope.includes(payslip.run.month, payslip.run.program, payslip.run.district):
            by_run[payslip.run].append(payslip)
    lines: list[LedgerLine] = []
    details: list[DetailRow] = []
    for run in runs:
        if not scope.includes(run.month, run.program, run.district):
            continue
        ratio = city_ratio(run.program, int(run.month[:4]))
        for item in COST_ITEMS:
            line, rows = ledger_line(run, item, ratio, by_run.get(run, []))
            lines.append(line)
            details.extend(rows)
    return Ledger(
        scope=scope,
        lines=tuple(lines),
        details=tuple(details),
        unfinalized=tuple(r for r in unfinalized if scope.includes(r.month, r.program, r.district)),
        district_names=dict(district_names or {}),
        program_names=dict(program_names or {}),
    )


def ledger_line(
    run: RunKey, item: str, ratio: Decimal, payslips: Sequence[PayslipFigures]
) -> tuple[LedgerLine, list[DetailRow]]:
    """One cost item of one run: the line split by ``ratio``, and its allocation."""
    paying = [p for p in payslips if p.items[item] != 0]
    amount = sum(p.items[item] for p in paying)
    share = split(amount, ratio)
    line = LedgerLine(
        run.month,
        run.district,
        run.program,
        item,
        len(paying),
        amount,
        share.city,
        share.district,
        ratio,
    )
    weights = [((p.participant_id, p.enrollment_id), p.items[item]) for p in paying]
    rows = [
        DetailRow(
            p.participant_id,
            p.name,
            run.district,
            run.program,
            run.month,
            item,
            a.amount,
            a.city,
            a.district,
        )
        for p, a in zip(paying, allocate(share, weights), strict=True)
    ]
    return line, rows

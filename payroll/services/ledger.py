"""The cost-sharing ledger (시·구 분담 원장, how-pay-is-calculated.md §10) of finalized runs.

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
city ratio from the catalog (a ratio change in 2026 is a data change), and its shares are
allocated to the participants by largest remainder so that they add up to the line.

Runs that are still ``calculated`` or ``approved`` are never in a ledger; they come back
in :attr:`Ledger.unfinalized` so that the caller reports them. Cancelled runs are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from payroll.db.catalog_store import read_catalog
from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
    TermRow,
)
from payroll.domain.calendar import months_between, months_from_to
from payroll.domain.cost_share import Share, allocate, split
from payroll.domain.labels import run_state_name
from payroll.domain.runs import RunState
from payroll.formats import inputs
from payroll.services import lookup

COST_ITEMS = ("wages", "expense_allowance", "employer_insurance")
"""The ledger's cost items (비용항목), in ledger order."""

EXPENSE_ALLOWANCE = "expense_allowance"
EXPENSE_CODES = (EXPENSE_ALLOWANCE, "retro_expense_allowance")
"""Earning lines of the 실비 cost item: the allowance and its correction (§16)."""
UNFINALIZED_STATES = (RunState.CALCULATED, RunState.APPROVED)


class ScopeError(inputs.InputError):
    """The months, term, program or district asked for do not name anything known."""


# --- scope -----------------------------------------------------------------------------


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


def check_month(month: str, what: str = "month") -> str:
    """``month`` as ``YYYY-MM`` (``2025-3``, ``2025.03``, ``2025년 3월`` accepted); a
    ScopeError naming it otherwise."""
    try:
        return inputs.parse_month(month, what)
    except inputs.InputError as exc:
        raise ScopeError(str(exc)) from None


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive (``YYYY-MM``)."""
    start, end = check_month(start, "--from"), check_month(end, "--to")
    if end < start:
        raise ScopeError(f"--to {end} is before --from {start}")
    return months_from_to(start, end)


def resolve_district(session: Session, text: str) -> str:
    """A district code from its code (11110) or Korean name (종로구)."""
    try:
        return lookup.district_code(session, text)
    except inputs.InputError as exc:
        raise ScopeError(str(exc)) from None


def resolve_program(session: Session, code: str) -> str:
    """A program code from its code or Korean name (동행일자리 → dongheng)."""
    try:
        return lookup.program_code(session, code)
    except inputs.InputError as exc:
        raise ScopeError(str(exc)) from None


def resolve_scope(
    session: Session,
    *,
    month: str | None = None,
    term: str | None = None,
    from_month: str | None = None,
    to_month: str | None = None,
    program: str | None = None,
    district: str | None = None,
) -> Scope:
    """The scope of exactly one of ``month``, ``term`` or ``from_month``+``to_month``.

    A term resolves through the term table to its program(s) and their months: ``2025-H1``
    covers 동행일자리 January to June (it is that program's term). With ``program`` only that
    program's term of that code counts.
    """
    given = [
        name
        for name, value in (
            ("--month", month),
            ("--term", term),
            ("--from/--to", from_month or to_month),
        )
        if value
    ]
    if len(given) != 1:
        raise ScopeError("give exactly one of --month, --term, or --from with --to")
    program_code = resolve_program(session, program) if program else None
    district_code = resolve_district(session, district) if district else None
    if month:
        month = check_month(month)
        return Scope(month, (month,), program_code, district_code)
    if term:
        query = select(TermRow).where(TermRow.code == term)
        if program_code:
            query = query.where(TermRow.program_code == program_code)
        rows = list(session.scalars(query))
        if not rows:
            known = sorted({f"{t.program_code} {t.code}" for t in session.scalars(select(TermRow))})
            where = f" (사업 {program_code})" if program_code else ""
            raise ScopeError(f"없는 기간 {term!r}{where} (있는 기간: {', '.join(known)})")
        program_months = {t.program_code: frozenset(months_between(t.start, t.end)) for t in rows}
        months = tuple(sorted(set().union(*program_months.values())))
        return Scope(term, months, program_code, district_code, program_months)
    if not (from_month and to_month):
        raise ScopeError("--from and --to go together")
    months = tuple(month_range(from_month, to_month))
    return Scope(f"{months[0]}..{months[-1]}", months, program_code, district_code)


# --- reading finalized payslips --------------------------------------------------------


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


def _scope_filter(scope: Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [PayrollRun.month.in_(scope.months)]
    if scope.programs is not None:
        conditions.append(PayrollRun.program_code.in_(scope.programs))
    if scope.district is not None:
        conditions.append(PayrollRun.district_code == scope.district)
    return conditions


def finalized_runs(session: Session, scope: Scope) -> list[RunKey]:
    """The finalized runs in scope, ordered by month, district, program."""
    rows = session.execute(
        select(PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code)
        .where(PayrollRun.state == RunState.FINALIZED, *_scope_filter(scope))
        .order_by(PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code)
    )
    keys = [RunKey(m, d, p) for m, d, p in rows]
    return [k for k in keys if scope.includes(k.month, k.program, k.district)]


def unfinalized_runs(session: Session, scope: Scope) -> list[UnfinalizedRun]:
    """The calculated or approved runs in scope (cancelled runs are not reported)."""
    rows = session.execute(
        select(
            PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code, PayrollRun.state
        )
        .where(PayrollRun.state.in_(UNFINALIZED_STATES), *_scope_filter(scope))
        .order_by(PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code)
    )
    runs = [UnfinalizedRun(*row) for row in rows]
    return [r for r in runs if scope.includes(r.month, r.program, r.district)]


def finalized_payslips(session: Session, scope: Scope) -> list[PayslipFigures]:
    """Every payslip of a finalized run in scope, with its lines summed per cost item."""
    line = PayslipLineRow
    earning = line.kind == "earning"

    def total(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, line.amount), else_=0)), 0)

    query = (
        select(
            PayslipRow.id,
            PayrollRun.month,
            PayrollRun.district_code,
            PayrollRun.program_code,
            Participant.participant_id,
            Participant.name,
            PayslipRow.enrollment_id,
            total(and_(earning, line.code.not_in(EXPENSE_CODES))),
            total(and_(earning, line.code.in_(EXPENSE_CODES))),
            total(line.kind == "employer"),
            total(line.kind == "deduction"),
            PayslipRow.gross,
            PayslipRow.total_deductions,
            PayslipRow.net,
            PayslipRow.employer_total,
        )
        .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
        .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
        .join(Participant, Participant.id == EnrollmentRow.participant_pk)
        .outerjoin(line, line.payslip_id == PayslipRow.id)
        .where(PayrollRun.state == RunState.FINALIZED, *_scope_filter(scope))
        .group_by(
            PayslipRow.id,
            PayrollRun.month,
            PayrollRun.district_code,
            PayrollRun.program_code,
            Participant.participant_id,
            Participant.name,
            PayslipRow.enrollment_id,
            PayslipRow.gross,
            PayslipRow.total_deductions,
            PayslipRow.net,
            PayslipRow.employer_total,
        )
        .order_by(
            PayrollRun.month,
            PayrollRun.district_code,
            PayrollRun.program_code,
            Participant.participant_id,
            PayslipRow.enrollment_id,
        )
    )
    result = []
    for row in session.execute(query):
        (
            pid,
            month,
            district,
            program,
            participant,
            name,
            enrollment,
            wages,
            expense,
            employer,
            deductions,
            gross,
            total_ded,
            net,
            employer_total,
        ) = row
        if not scope.includes(month, program, district):
            continue
        result.append(
            PayslipFigures(
                payslip_id=pid,
                run=RunKey(month, district, program),
                participant_id=participant,
                name=name,
                enrollment_id=enrollment,
                items={
                    "wages": int(wages),
                    EXPENSE_ALLOWANCE: int(expense),
                    "employer_insurance": int(employer),
                },
                deduction_lines=int(deductions),
                gross=int(gross),
                total_deductions=int(total_ded),
                net=int(net),
                employer_total=int(employer_total),
            )
        )
    return result


# --- the ledger ------------------------------------------------------------------------


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

    @property
    def warnings(self) -> list[str]:
        """What the caller must tell the user: unfinalized runs left out."""
        return [run.message for run in self.unfinalized]

    @property
    def total(self) -> Share:
        return Share(
            sum(line.city_share for line in self.lines),
            sum(line.district_share for line in self.lines),
        )


def build_ledger(session: Session, scope: Scope) -> Ledger:
    """The ledger of the finalized runs in ``scope`` (see the module docstring)."""
    rate_book = read_catalog(session).rate_book
    runs = finalized_runs(session, scope)
    by_run: dict[RunKey, list[PayslipFigures]] = defaultdict(list)
    for payslip in finalized_payslips(session, scope):
        by_run[payslip.run].append(payslip)
    lines: list[LedgerLine] = []
    details: list[DetailRow] = []
    for run in runs:
        ratio = rate_book.program_year(run.program, int(run.month[:4])).city_ratio
        payslips = by_run.get(run, [])
        for item in COST_ITEMS:
            line, rows = _line(run, item, ratio, payslips)
            lines.append(line)
            details.extend(rows)
    return Ledger(
        scope=scope,
        lines=tuple(lines),
        details=tuple(details),
        unfinalized=tuple(unfinalized_runs(session, scope)),
        district_names={c: n for c, n in session.execute(select(District.code, District.name))},
        program_names={c: n for c, n in session.execute(select(ProgramRow.code, ProgramRow.name))},
    )


def _line(
    run: RunKey, item: str, ratio: Decimal, payslips: Sequence[PayslipFigures]
) -> tuple[LedgerLine, list[DetailRow]]:
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

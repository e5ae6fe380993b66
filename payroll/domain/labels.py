"""Korean labels as printed on payslips, registers and ledgers: pay lines (read from the
pay-line registry), ledger cost items, early-end reasons, run states, terms."""

from __future__ import annotations

from payroll.domain import pay_lines
from payroll.domain.pay_lines import LineKind
from payroll.domain.runs import STATE_NAMES
from payroll.domain.runs import run_state_name as run_state_name

EARNINGS_LABELS: dict[str, str] = {pl.code: pl.label for pl in pay_lines.lines_of(LineKind.EARNING)}
"""Derived views of the pay-line registry (:mod:`payroll.domain.pay_lines`) as it stood at
import, in payslip order; :func:`label` reads the registry itself."""

DEDUCTION_LABELS: dict[str, str] = {
    pl.code: pl.label for pl in pay_lines.lines_of(LineKind.DEDUCTION)
}

EMPLOYER_LABELS: dict[str, str] = {
    pl.code: pl.label for pl in pay_lines.lines_of(LineKind.EMPLOYER)
}

END_REASON_LABELS: dict[str, str] = {
    "employed": "취업",
    "withdrew": "중도 포기",
    "ineligible": "자격 상실",
    "dismissed": "계약 해지",
    "deceased": "사망",
    "other": "기타",
}
"""Reason codes of an early end (중도 종료) and their Korean labels."""

COST_ITEM_LABELS: dict[str, str] = {
    "wages": "인건비(임금)",
    "expense_allowance": "식비(간식비)",
    "employer_insurance": "사업주 부담 보험료",
}


def label(code: str, kind: LineKind | str | None = None) -> str:
    """The Korean label of a pay line code (of ``kind``; None: earning, else deduction,
    else employer). A code no pay line declares raises
    :class:`~payroll.domain.pay_lines.UnknownPayLine`."""
    return pay_lines.get(code, LineKind(kind) if kind else None).label


def cost_item_label(code: str) -> str:
    """The Korean label of a ledger cost item (:data:`COST_ITEM_LABELS`; unknown: the code)."""
    return COST_ITEM_LABELS.get(code, code)


def end_reason_label(code: str | None, none: str = "") -> str:
    """The Korean label of an early-end reason code; ``none`` when there is no reason."""
    if code is None:
        return none
    return END_REASON_LABELS.get(code, code)


RUN_STATE_NAMES: dict[str, str] = {str(state): name for state, name in STATE_NAMES.items()}
"""A run's state as users read it (from :class:`payroll.domain.runs.RunState`)."""


def term_name(code: str) -> str:
    """A term as people name it: ``2025-H1`` → ``2025년 상반기`` (other codes unchanged)."""
    halves = {"H1": "상반기", "H2": "하반기"}
    year, _, half = (code or "").partition("-")
    if year.isdigit() and len(year) == 4 and half in halves:
        return f"{year}년 {halves[half]}"
    return code

"""간이지급명세서(근로소득): per participant the period's taxable and non-taxable pay."""

from __future__ import annotations

import re
from datetime import date

from payroll.domain.calendar import month_range
from payroll.formats.reports import simple_statement
from payroll.services.filings.reads import (
    Filing,
    FilingError,
    finalized_slips,
    names,
    refuse_open_runs,
    rrn_of,
)
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.ledger.build import check_month
from payroll.services.unit_of_work import UnitOfWork


def period_months(month: str | None, half: str | None) -> tuple[str, list[str], date, date]:
    """(label, months, first day, last day) of ``--month 2025-03`` or ``--half 2025-H1``."""
    if bool(month) == bool(half):
        raise FilingError(
            "--month 또는 --half 중 하나만 주세요 (예: --month 2025-03, --half 2025-H1)"
        )
    if month:
        check_month(month)
        first, last = month_range(month)
        return f"{int(month[5:])}월", [month], first, last
    found = re.fullmatch(r"(\d{4})-?H([12])", (half or "").strip(), re.IGNORECASE)
    if not found:
        raise FilingError(f"--half {half!r}: 2025-H1(상반기) 또는 2025-H2(하반기) 형식으로 주세요")
    year, part = int(found[1]), int(found[2])
    months = [f"{year:04d}-{m:02d}" for m in range(1 + 6 * (part - 1), 7 + 6 * (part - 1))]
    first, _ = month_range(months[0])
    _, last = month_range(months[-1])
    return ("상반기" if part == 1 else "하반기"), months, first, last


def simple_statement_filing(
    uow: UnitOfWork, month: str | None = None, half: str | None = None, full_rrn: bool = True
) -> Filing:
    label, months, first, last = period_months(month, half)
    with uow:
        runs = refuse_open_runs(uow, months)
        if not runs:
            raise FilingError(f"{months[0]}..{months[-1]}: 확정된 급여가 없습니다")
        districts, _ = names(uow)
        slips = [
            simple_statement.PaySlip(
                districts[s.run.district_code],
                s.person.participant_id,
                s.person.name,
                rrn_of(s.person, full_rrn),
                s.enrollment.start,
                s.enrollment.end,
                s.slip.taxable,
                s.slip.non_taxable,
            )
            for s in finalized_slips(uow, runs)
        ]
    scope = month or (half or "").upper()
    sheet = simple_statement.sheet(slips, first.year, label, first, last)
    return KIND.filing(scope, [sheet], len(sheet.rows), scope, full_rrn)


KIND = FilingKind(
    kind="simple-statement",
    title="간이지급명세서(근로소득)",
    help_line="간이지급명세서",
    summary="간이지급명세서(근로소득): per participant the period's taxable and non-taxable pay.",
    button="간이지급명세서",
    params=(
        Param("month", "월", "One month, e.g. 2025-03."),
        Param("half", "반기", "A half year: 2025-H1 or 2025-H2."),
    ),
    build=lambda uow, v, full: simple_statement_filing(uow, v["month"], v["half"], full_rrn=full),
    form="month",
    full_rrn=True,
    csv=True,
    choose_format=True,
    order=20,
)

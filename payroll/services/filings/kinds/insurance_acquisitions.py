"""4대보험 자격취득: every enrollment starting in the dates, with D and weekly hours."""

from __future__ import annotations

from datetime import date

from payroll.formats.reports import insurance
from payroll.services.filings.insurance import enrolled, months_between_days
from payroll.services.filings.reads import Filing, names, refuse_open_runs
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.unit_of_work import UnitOfWork


def acquisitions_filing(uow: UnitOfWork, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments starting ``first``..``last``: the 취득 report."""
    months = months_between_days(first, last)
    with uow:
        refuse_open_runs(uow, months)
        labels = names(uow)
        rates = uow.catalog.read().rate_book
        rows = [
            enrolled(e, p, labels, rates, full_rrn)
            for e, p in uow.filings.roster_enrollments("start", first, last)
        ]
    sheet = insurance.acquisition_sheet(rows)
    return KIND.filing(f"{first}..{last}", [sheet], len(sheet.rows), f"{first}-{last}", full_rrn)


KIND = FilingKind(
    kind="insurance-acquisitions",
    title="4대보험 자격취득",
    help_line="4대보험 취득 신고",
    summary="4대보험 자격취득: every enrollment starting in the dates, with D and weekly hours.",
    button="4대보험 자격취득 (시작일 기준)",
    params=(
        Param("from", "시작일", "First start date, e.g. 2025-01-10.", "date", required=True),
        Param("to", "종료일", "Last start date.", "date", required=True),
    ),
    build=lambda uow, v, full: acquisitions_filing(uow, v["from"], v["to"], full_rrn=full),
    form="period",
    full_rrn=True,
    monthly=True,
    order=30,
)

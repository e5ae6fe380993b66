"""4대보험 자격상실: every enrollment ending in the dates, with the loss codes and the
year's and previous year's pay totals."""

from __future__ import annotations

from datetime import date

from payroll.formats.reports import insurance
from payroll.services.filings import sources
from payroll.services.filings.insurance import enrolled, months_between_days
from payroll.services.filings.reads import (
    Filing,
    OpenRunsError,
    names,
    refuse_open_runs,
    year_totals,
)
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.unit_of_work import UnitOfWork


def losses_filing(uow: UnitOfWork, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments ending ``first``..``last``: the 상실 report with the year's pay totals.

    Every final month must be finalized: the totals include it.
    """
    months = months_between_days(first, last)
    with uow:
        labels = names(uow)
        districts, programs = labels
        ended = uow.filings.roster_enrollments("end", first, last)
        years = {e.end.year for e, _p in ended} | {first.year}
        runs = refuse_open_runs(
            uow, [m for y in years for m in months_between_days(date(y, 1, 1), last)] + months
        )
        finalized = {(r.month, r.district_code, r.program_code) for r in runs}
        missing = sorted(
            {
                f"{e.end:%Y-%m} {districts[p.district_code]} {programs.get(e.program_code)}"
                for e, p in ended
                if (e.end.strftime("%Y-%m"), p.district_code, e.program_code) not in finalized
            }
        )
        if missing:
            raise OpenRunsError(
                "마지막 달 급여가 확정되지 않아 보수총액을 낼 수 없습니다: " + ", ".join(missing)
            )
        rates = uow.catalog.read().rate_book
        out = []
        for last_month in sorted({e.end.strftime("%Y-%m") for e, _p in ended}):
            # the loss year's pay up to the final month (a later enrollment is not in it)
            mine = [(e, p) for e, p in ended if e.end.strftime("%Y-%m") == last_month]
            pks = [p.id for _e, p in mine]
            year = int(last_month[:4])
            this = year_totals(uow, pks, f"{year}-01", last_month, "insurable")
            before = year_totals(uow, pks, f"{year - 1}-01", f"{year - 1}-12", "insurable")
            for e, p in mine:
                end = sources.end_facts(e)
                out.append(
                    insurance.Ended(
                        enrolled(e, p, labels, rates, full_rrn),
                        end.reason,
                        end.note,
                        *this.get(p.id, (0, 0)),
                        *before.get(p.id, (0, 0)),
                    )
                )
    sheet = insurance.loss_sheet(out)
    return KIND.filing(f"{first}..{last}", [sheet], len(sheet.rows), f"{first}-{last}", full_rrn)


KIND = FilingKind(
    kind="insurance-losses",
    title="4대보험 자격상실",
    help_line="4대보험 상실 신고",
    summary="4대보험 자격상실: every enrollment ending in the dates, with the loss codes and the "
    "year's and previous year's pay totals (the final months must be finalized).",
    button="4대보험 자격상실 (종료일 기준)",
    params=(
        Param("from", "시작일", "First end date, e.g. 2025-06-01.", "date", required=True),
        Param("to", "종료일", "Last end date.", "date", required=True),
    ),
    build=lambda uow, v, full: losses_filing(uow, v["from"], v["to"], full_rrn=full),
    form="period",
    full_rrn=True,
    monthly=True,
    order=40,
)

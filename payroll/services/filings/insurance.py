"""The 4대보험 acquisition and loss filings.

The builders are in ``payroll.formats.reports.insurance``.
"""

from __future__ import annotations

from datetime import date

from payroll.domain.calendar import months_between
from payroll.domain.model import RateBook
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.reports import insurance
from payroll.formats.reports.sheet import Sheet
from payroll.services.filings import sources
from payroll.services.filings.reads import (
    Filing,
    FilingError,
    OpenRunsError,
    names,
    refuse_open_runs,
    rrn_of,
    year_totals,
)
from payroll.services.unit_of_work import UnitOfWork


def _months_between(first: date, last: date) -> list[str]:
    if last < first:
        raise FilingError(f"--to {last} 이 --from {first} 보다 앞입니다")
    return months_between(first, last)


def _enrolled(
    row: EnrollmentRecord,
    person: PersonRecord,
    labels: tuple[dict[str, str], dict[str, str]],
    rates: RateBook,
    full_rrn: bool,
) -> insurance.Enrolled:
    districts, programs = labels
    schedule = sources.schedule(row, person, rates)
    program = programs.get(row.program_code, row.program_code)
    return insurance.Enrolled(
        district=districts[person.district_code],
        participant_id=person.participant_id,
        name=person.name,
        rrn=rrn_of(person, full_rrn),
        birth_date=person.birth_date,
        program=program,
        job=f"{program} 참여자",
        start=row.start,
        end=row.end,
        weekly_hours=schedule.weekly_hours,
        declared_pay=sources.declared_monthly_pay(row, person, rates),
    )


def acquisitions_filing(uow: UnitOfWork, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments starting ``first``..``last``: the 취득 report."""
    months = _months_between(first, last)
    with uow:
        refuse_open_runs(uow, months)
        labels = names(uow)
        rates = uow.catalog.read().rate_book
        rows = [
            _enrolled(e, p, labels, rates, full_rrn)
            for e, p in uow.filings.roster_enrollments("start", first, last)
        ]
    sheet = insurance.acquisition_sheet(rows)
    return _insurance_filing("insurance-acquisitions", first, last, sheet, full_rrn)


def _insurance_filing(kind: str, first: date, last: date, sheet: Sheet, full_rrn: bool) -> Filing:
    return Filing(
        kind,
        f"{first}..{last}",
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=False,
        default_name=f"{kind}-{first}-{last}.xlsx",
    )


def losses_filing(uow: UnitOfWork, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments ending ``first``..``last``: the 상실 report with the year's pay totals.

    Every final month must be finalized: the totals include it.
    """
    months = _months_between(first, last)
    with uow:
        labels = names(uow)
        districts, programs = labels
        ended = uow.filings.roster_enrollments("end", first, last)
        years = {e.end.year for e, _p in ended} | {first.year}
        runs = refuse_open_runs(
            uow, [m for y in years for m in _months_between(date(y, 1, 1), last)] + months
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
                        _enrolled(e, p, labels, rates, full_rrn),
                        end.reason,
                        end.note,
                        *this.get(p.id, (0, 0)),
                        *before.get(p.id, (0, 0)),
                    )
                )
    return _insurance_filing("insurance-losses", first, last, insurance.loss_sheet(out), full_rrn)

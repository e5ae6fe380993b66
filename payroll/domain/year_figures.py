"""Which of a month's catalog figures are missing (§1–§2), before any pay is computed.

A month of a program needs that year's program data, hourly rate, insurance rates and
tax-year data, and the pension floor and ceiling of the month. A figure not entered yet
refuses the month: never last year's figure instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from payroll.domain.model import (
    INSURANCE_NAMES,
    RATE_SOURCE_NAMES,
    WHERE_TO_ENTER,
    MissingRate,
    RateBook,
)


def missing_figures(book: RateBook, program: str, month_start: date) -> list[str]:
    """The Korean names of the figures a month of ``program`` needs and the book lacks."""
    year = month_start.year
    out: list[str] = []
    try:
        source = book.program(program).rate_source
    except MissingRate:
        return [f"사업 {program!r}(programs)"]
    if (program, year) not in book.program_years:
        out.append(f"{year}년 {program} 사업 연도 기준(program_years)")
    if (source, year) not in book.hourly_rates:
        out.append(f"{year}년 {RATE_SOURCE_NAMES[source]}({source.value})")
    if year in book.missing_insurance:
        out += [f"{year}년 {INSURANCE_NAMES[f]}({f})" for f in book.missing_insurance[year]]
    elif year not in book.insurance:
        out.append(f"{year}년 사회보험료율(insurance)")
    if year not in book.tax_years:
        out.append(f"{year}년 소득세 연도 기준(tax_years)")
    if not any(b.start <= month_start <= b.end for b in book.pension_bounds):
        out.append(f"{month_start:%Y-%m} 국민연금 기준소득월액 상·하한(pension_bounds)")
    return out


def refuse_missing(book: RateBook, programs: Mapping[str, str], month: str) -> None:
    """Raise one Korean line naming every missing figure of the month and where to enter it.

    ``programs``: code → Korean name of the programs the month calculates.
    """
    first = date.fromisoformat(month + "-01")
    parts = []
    for code, name in programs.items():
        missing = missing_figures(book, code, first)
        if missing:
            parts.append(f"{name}: {', '.join(missing)}")
    if parts:
        raise MissingRate(
            f"{month} 급여를 계산하지 않았습니다 — 아직 입력되지 않은 값 "
            f"({'; '.join(parts)}); 지난해 값으로 대신하지 않습니다. {WHERE_TO_ENTER}"
        )

"""The city's catalog by year: show a year, export it, import a year file.

An import checks every field first (:func:`plan_changes`), then refuses a change to a
figure a finalized run used (naming the runs), and otherwise writes every change, marks
the unfinalized runs that used a changed figure for recalculation and audits who changed
what, all in one transaction. A dry run stops before writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.domain.engine import pay_date_of
from payroll.domain.model import INSURANCE_NAMES, RATE_SOURCE_NAMES, RateSource
from payroll.domain.runs import RunRecord, RunState
from payroll.domain.year_figures import missing_figures
from payroll.reference.catalog import INSURANCE_FIELDS, catalog_from_data
from payroll.reference.catalog_changes import (
    CatalogFileError,
    Change,
    blocks_of,
    plan_changes,
    year_blocks,
)
from payroll.services.common import audit
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ImportResult:
    """What an import changed (or would change, in a dry run)."""

    changes: tuple[str, ...]  # Korean lines
    marked: tuple[str, ...]  # runs marked for recalculation
    dry_run: bool


@dataclass(frozen=True)
class YearOverview:
    """Every figure of a year (label, value) and the figures still missing."""

    year: int
    figures: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]
    stale: tuple[str, ...] = ()  # runs marked for recalculation after a change


def run_label(run: RunRecord, districts: Mapping[str, str], programs: Mapping[str, str]) -> str:
    return (
        f"{run.month} {districts.get(run.district_code, run.district_code)} "
        f"{programs.get(run.program_code, run.program_code)} (#{run.id}, "
        f"{run.state.korean})"
    )


def import_catalog(
    uow: UnitOfWork, data: Mapping[str, Any], by: str, source: str, dry_run: bool = False
) -> ImportResult:
    """Check a year file against the stored catalog and, unless ``dry_run``, write it."""
    with uow:
        stored = uow.catalog.data()
        plan = plan_changes(stored, data)
        sources = {
            p["code"]: p["rate_source"]
            for p in [*stored.get("programs", []), *plan.writes.get("programs", [])]
        }
        old_blocks = blocks_of(stored)
        districts, programs = uow.names.districts(), uow.names.programs()
        runs = [r for r in uow.runs.list() if r.state is not RunState.CANCELLED]
        frozen: list[str] = []
        marked: dict[int, RunRecord] = {}
        reasons: dict[int, str] = {}
        for change in plan.changes:
            hit = [r for r in runs if _uses(change, r, sources, old_blocks)]
            final = [r for r in hit if r.state is RunState.FINALIZED]
            if final:
                names = ", ".join(run_label(r, districts, programs) for r in final[:5])
                more = f" 외 {len(final) - 5}건" if len(final) > 5 else ""
                frozen.append(
                    f"{change.describe()}: 확정된 급여가 이 값을 썼으므로 바꿀 수 없습니다 "
                    f"({names}{more}); 정정은 다음 달 급여로 합니다"
                )
            for r in hit:
                if r.state is not RunState.FINALIZED:
                    marked[r.id] = r
                    reasons.setdefault(r.id, change.describe())
        if frozen:
            raise CatalogFileError(frozen)
        lines = tuple(c.describe() for c in plan.changes)
        marked_labels = tuple(run_label(r, districts, programs) for r in marked.values())
        if dry_run or plan.empty:
            return ImportResult(lines, marked_labels, dry_run)
        uow.catalog.upsert(plan.writes)
        for run_id, reason in reasons.items():
            uow.catalog.mark_for_recalculation([run_id], f"연도 기준 변경: {reason}", by)
        audit.record(
            uow,
            by,
            "catalog.imported",
            "catalog",
            "catalog",
            source=source,
            changes=list(lines),
            marked_runs=list(marked_labels),
        )
        return ImportResult(lines, marked_labels, False)


def _uses(
    change: Change,
    run: RunRecord,
    sources: Mapping[str, str],
    old: Mapping[str, Mapping[Any, Mapping[str, Any]]],
) -> bool:
    """Whether ``run`` used (or would use) the figure ``change`` adds or changes."""
    year = int(run.month[:4])
    kind, key = change.kind, change.key
    if kind == "programs":
        return bool(key[0] == run.program_code)
    if kind == "program_years":
        return bool(key == (run.program_code, year))
    if kind == "hourly_rates":
        return bool(key[1] == year and sources.get(run.program_code) == key[0])
    if kind in ("insurance", "tax_years"):
        return bool(key[0] == year)
    if kind == "pension_bounds":
        before = old[kind].get(key)
        if before is None:  # a new period: every month from its first one
            return bool(run.month >= str(key[0]))
        ends = [str(before["to"]), str(change.new) if change.field == "to" else ""]
        return str(key[0]) <= run.month <= max(ends)
    if kind == "child_reductions":
        first = date.fromisoformat(run.month + "-01")
        return pay_date_of(first) >= date.fromisoformat(str(key[0]))
    if kind == "terms":
        if key[0] != run.program_code:
            return False
        term = old[kind].get(key)
        spans = [(str(term["start"]), str(term["end"]))] if term else []
        if change.field in ("start", "end"):
            spans.append((str(change.new), str(change.new)))
        return any(lo[:7] <= run.month <= hi[:7] for lo, hi in spans)
    return False  # limits and districts: no pay figure


def export_year(uow: UnitOfWork, year: int) -> dict[str, Any]:
    """The year's blocks in the catalog shape (``catalog export``)."""
    with uow:
        return year_blocks(uow.catalog.data(), year)


def year_overview(uow: UnitOfWork, year: int) -> YearOverview:
    """Every figure of ``year`` as stored, and those a month of the year still lacks."""
    with uow:
        data = uow.catalog.data()
    book = catalog_from_data(data).rate_book
    figures: list[tuple[str, str]] = []
    for source in RateSource:
        won = book.hourly_rates.get((source, year))
        figures.append(
            (f"{RATE_SOURCE_NAMES[source]} 시급", "없음" if won is None else f"{won:,}원")
        )
    insurance = {int(i["year"]): i for i in data.get("insurance", [])}.get(year, {})
    for name in INSURANCE_FIELDS:
        value = insurance.get(name)
        figures.append((INSURANCE_NAMES[name], "없음" if value is None else _percent(value)))
    for code, program in sorted(book.programs.items()):
        py = book.program_years.get((code, year))
        figures.append(
            (
                f"{program.name} 연도 기준",
                "없음"
                if py is None
                else f"식비 {py.daily_expense_allowance:,}원/일, 시 분담 "
                f"{_percent(py.city_ratio)}, 산재 {_percent(py.industrial_accident_rate)}",
            )
        )
        for term in book.terms_of(code):
            if term.start.year == year:
                figures.append((f"{program.name} 기수 {term.code}", f"{term.start} ~ {term.end}"))
    tax = book.tax_years.get(year)
    figures.append(
        (
            "소득세 연도 기준",
            "없음" if tax is None else f"식대 비과세 한도 {tax.meal_allowance_cap:,}원 외",
        )
    )
    for bounds in book.pension_bounds:
        if bounds.start.year <= year <= bounds.end.year:
            figures.append(
                (
                    f"국민연금 상·하한 {bounds.start:%Y-%m}~{bounds.end:%Y-%m}",
                    f"{bounds.floor:,}원 ~ {bounds.ceiling:,}원",
                )
            )
    for reduction in book.child_reductions:
        later = [r.start for r in book.child_reductions if r.start > reduction.start]
        until = min(later) if later else date.max
        if reduction.start <= date(year + 1, 1, 10) and until > date(year, 1, 10):
            amounts = reduction.amounts
            figures.append(
                (
                    f"자녀 세액 감면 (지급일 {reduction.start}부터)",
                    f"1명 {amounts.one:,}원, 2명 {amounts.two:,}원, "
                    f"3명부터 1명당 {amounts.each_further:,}원 추가",
                )
            )
    rules = data.get("limits", [])
    figures.append(
        (
            "참여 제한",
            f"{sum(1 for r in rules if r.get('enabled', True))}개 사용 / 전체 {len(rules)}개",
        )
    )
    missing: list[str] = []
    pension_months: list[str] = []
    for code in sorted(book.programs):
        for month in range(1, 13):
            for name in missing_figures(book, code, date(year, month, 1)):
                if name.endswith("(pension_bounds)"):
                    if name[:7] not in pension_months:
                        pension_months.append(name[:7])
                elif name not in missing:
                    missing.append(name)
    if pension_months:
        first, last = min(pension_months), max(pension_months)
        span = first if first == last else f"{first}~{last}"
        missing.append(f"{span} 국민연금 기준소득월액 상·하한(pension_bounds)")
    with uow:
        marks = uow.catalog.recalculation_marks()
        districts, programs = uow.names.districts(), uow.names.programs()
        stale = [
            f"{run_label(run, districts, programs)}: {reason}"
            for run_id, reason in sorted(marks.items())
            if (run := uow.runs.get(run_id)) is not None and run.month.startswith(str(year))
        ]
    return YearOverview(year, tuple(figures), tuple(missing), tuple(stale))


def _percent(value: Any) -> str:
    pct = Decimal(str(value)) * 100
    return f"{pct.normalize():f} %"

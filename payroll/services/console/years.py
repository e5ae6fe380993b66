"""The console's year page (연도별 기준) for the city administrator.

The page edits one year's figures in a form: a year not entered yet starts as a draft
copied from the previous year. The form becomes a year file (the ``catalog.toml`` shape)
checked by :func:`plan_changes`; the preview shows the changes and their effect on a
full-month participant of each program at the stored and the new figures; publishing
is ``payroll catalog import`` by the logged-in administrator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.domain.audit import AuditEntry
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.cost_share import split
from payroll.domain.deductions import TaxTable
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import Enrollment, PayrollError, RateBook
from payroll.reference.catalog import INSURANCE_FIELDS, catalog_from_data
from payroll.reference.catalog_changes import blocks_of, decimal_text, plan_changes
from payroll.services.admin.catalog_years import ImportResult, import_catalog
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, require
from payroll.services.unit_of_work import UnitOfWork

SOURCES = ("minimum_wage", "living_wage")
PROGRAM_YEAR_FIELDS = ("daily_expense_allowance", "city_ratio", "industrial_accident_rate")
BLANK_TERMS = 2
LIMIT_RULE_LABELS = {
    "no_overlap": "기간 중복 금지",
    "max_consecutive_terms": "연속 참여 기수 제한",
    "max_cumulative_months": "누적 참여 개월 제한",
    "max_participations_in_window": "기간 내 참여 횟수 제한",
    "age_band": "나이 제한",
    "one_per_household": "가구당 1명",
}
"""The participation rules (``payroll.domain.limits``) as the year page names them."""


@dataclass
class YearForm:
    """The values the form shows, by field name (strings as typed)."""

    year: int
    values: dict[str, str]
    programs: list[tuple[str, str]]  # (code, name)
    terms: list[dict[str, str]]
    limits: list[dict[str, Any]]
    draft_from: int | None = None  # the year copied into an empty year


@dataclass(frozen=True)
class Effect:
    """A full-month participant of a program at one set of figures (or why none)."""

    gross: int = 0
    deductions: int = 0
    net: int = 0
    employer: int = 0
    city: int = 0
    district: int = 0
    problem: str | None = None


@dataclass
class Preview:
    form: YearForm
    changes: list[str] = field(default_factory=list)
    effects: list[tuple[str, Effect, Effect]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def _year_values(data: Mapping[str, Any], year: int) -> dict[str, str]:
    blocks = blocks_of(data)
    values: dict[str, str] = {}
    for source in SOURCES:
        row = blocks["hourly_rates"].get((source, year))
        values[f"rate.{source}"] = _text(row["won"]) if row else ""
    insurance = blocks["insurance"].get((year,), {})
    for name in INSURANCE_FIELDS:
        value = insurance.get(name)
        values[f"ins.{name}"] = decimal_text(Decimal(str(value))) if value is not None else ""
    for (program, y), row in blocks["program_years"].items():
        if y == year:
            for name in PROGRAM_YEAR_FIELDS:
                values[f"py.{program}.{name}"] = _text(row.get(name))
    tax = blocks["tax_years"].get((year,))
    values["tax.meal_allowance_cap"] = _text(tax["meal_allowance_cap"]) if tax else ""
    return values


def _has_year(data: Mapping[str, Any], year: int) -> bool:
    blocks = blocks_of(data)
    return any(key[-1] == year for key in blocks["hourly_rates"]) or (year,) in blocks["insurance"]


def _shift(day: Any, years: int) -> str:
    d = date.fromisoformat(str(day))
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def year_form(uow: UnitOfWork, actor: Actor, year: int) -> YearForm:
    """The year's stored figures, or a draft copied from the previous year."""
    require(actor, Action.CATALOG)
    with uow:
        data = uow.catalog.data()
    draft_from = None
    source_year = year
    if not _has_year(data, year) and _has_year(data, year - 1):
        draft_from = source_year = year - 1
    values = _year_values(data, source_year)
    blocks = blocks_of(data)
    terms = [
        {
            "program": str(t["program"]),
            "code": str(t["code"]).replace(str(source_year), str(year)),
            "start": _shift(t["start"], year - source_year),
            "end": _shift(t["end"], year - source_year),
        }
        for t in blocks["terms"].values()
        if str(t["start"])[:4] == str(source_year)
    ]
    terms += [{"program": "", "code": "", "start": "", "end": ""} for _ in range(BLANK_TERMS)]
    program_names = {p["code"]: p["name"] for p in data.get("programs", [])}
    limits = [
        {
            "code": r["code"],
            "label": LIMIT_RULE_LABELS.get(r["code"], r["code"]),
            "programs": ",".join(r["programs"]),
            "program_names": " · ".join(program_names.get(p, p) for p in r["programs"]),
            "enabled": bool(r.get("enabled", True)),
            "message": r["message"],
            "min_age": _text(r.get("min_age")),
            "max_age": _text(r.get("max_age")),
            "max": _text(r.get("max")),
        }
        for r in blocks["limits"].values()
    ]
    programs = list(program_names.items())
    return YearForm(year, values, programs, terms, limits, draft_from)


def _number(text: str) -> Any:
    """``"10,700"`` → 10700; anything else stays text for the checks to name."""
    cleaned = text.replace(",", "").strip()
    return int(cleaned) if re.fullmatch(r"-?\d+", cleaned) else text.strip()


def year_file(form: Mapping[str, str], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The posted form as a year file (only the fields filled in)."""
    year = int(form["year"])
    out: dict[str, Any] = {}
    rates = [
        {"source": s, "rates": {str(year): _number(form[f"rate.{s}"])}}
        for s in SOURCES
        if form.get(f"rate.{s}", "").strip()
    ]
    if rates:
        out["hourly_rates"] = rates
    insurance = {
        name: form[f"ins.{name}"].strip()
        for name in INSURANCE_FIELDS
        if form.get(f"ins.{name}", "").strip()
    }
    if insurance:
        out["insurance"] = [{"year": year, **insurance}]
    program_years = []
    for p in stored.get("programs", []):
        row = {name: form.get(f"py.{p['code']}.{name}", "").strip() for name in PROGRAM_YEAR_FIELDS}
        if any(row.values()):
            row["daily_expense_allowance"] = _number(row["daily_expense_allowance"])
            program_years.append({"program": p["code"], "year": year, **row})
    if program_years:
        out["program_years"] = program_years
    meal = form.get("tax.meal_allowance_cap", "").strip()
    if meal:
        taxes = blocks_of(stored)["tax_years"]
        base = taxes.get((year,)) or taxes.get((year - 1,)) or {}
        out["tax_years"] = [{**base, "year": year, "meal_allowance_cap": _number(meal)}]
    terms = []
    for i in range(100):
        code = form.get(f"term.{i}.code")
        if code is None:
            break
        if code.strip():
            terms.append(
                {
                    name: form.get(f"term.{i}.{name}", "").strip()
                    for name in ("program", "code", "start", "end")
                }
            )
    if terms:
        out["terms"] = terms
    limits = []
    for i in range(100):
        code = form.get(f"limit.{i}.code")
        if code is None:
            break
        rule: dict[str, Any] = {
            "code": code,
            "programs": [p for p in form.get(f"limit.{i}.programs", "").split(",") if p],
            "enabled": form.get(f"limit.{i}.enabled") == "on",
            "message": form.get(f"limit.{i}.message", ""),
        }
        for name in ("min_age", "max_age", "max"):
            text = form.get(f"limit.{i}.{name}", "").strip()
            if text:
                rule[name] = _number(text)
        limits.append(rule)
    if limits:
        out["limits"] = limits
    return out


def _form_from_post(form: Mapping[str, str], base: YearForm) -> YearForm:
    values = {k: form.get(k, "") for k in base.values}
    terms = []
    for i in range(len(base.terms)):
        terms.append(
            {n: form.get(f"term.{i}.{n}", "") for n in ("program", "code", "start", "end")}
        )
    limits = []
    for i, rule in enumerate(base.limits):
        limits.append(
            {
                **rule,
                "enabled": form.get(f"limit.{i}.enabled") == "on",
                "message": form.get(f"limit.{i}.message", rule["message"]),
                **{n: form.get(f"limit.{i}.{n}", rule[n]) for n in ("min_age", "max_age", "max")},
            }
        )
    return YearForm(base.year, values, base.programs, terms, limits, base.draft_from)


def full_month_effect(
    book: RateBook, program: str, year: int, calendar: HolidayCalendar, table: TaxTable
) -> Effect:
    """May of ``year`` for a participant enrolled April–November, born 1980, alone."""
    enrollment = Enrollment(
        participant_id="예시",
        program=program,
        start=date(year, 4, 1),
        end=date(year, 11, 30),
        birth_date=date(1980, 1, 1),
    )
    try:
        slip = calculate_month(PayContext(enrollment, [], f"{year}-05", book, calendar, table))
        ratio = book.program_year(program, year).city_ratio
    except PayrollError as exc:
        return Effect(problem=str(exc).split(";")[0])
    employer = sum(line.amount for line in slip.employer)
    share = split(slip.gross + employer, ratio)
    return Effect(slip.gross, slip.total_deductions, slip.net, employer, share.city, share.district)


def preview_year(uow: UnitOfWork, actor: Actor, form: Mapping[str, str]) -> Preview:
    """The changes the form makes, checked, and their effect; nothing is written."""
    require(actor, Action.CATALOG)
    year = int(form["year"])
    base = year_form(uow, actor, year)
    shown = _form_from_post(form, base)
    with uow:
        stored = uow.catalog.data()
        calendar, table = uow.catalog.holidays(), uow.catalog.tax_tables()
    preview = Preview(shown)
    try:
        plan = plan_changes(stored, year_file(form, stored))
    except PayrollError as exc:
        preview.problems = list(getattr(exc, "problems", [str(exc)]))
        return preview
    preview.changes = [c.describe() for c in plan.changes]
    old_book = catalog_from_data(stored).rate_book
    new_book = catalog_from_data(plan.merged).rate_book
    for code, name in base.programs:
        preview.effects.append(
            (
                name,
                full_month_effect(old_book, code, year, calendar, table),
                full_month_effect(new_book, code, year, calendar, table),
            )
        )
    return preview


def publish_year(uow: UnitOfWork, actor: Actor, form: Mapping[str, str]) -> ImportResult:
    """Write the form's changes as ``payroll catalog import`` does, as the logged-in user."""
    require(actor, Action.CATALOG)
    with uow:
        stored = uow.catalog.data()
    data = year_file(form, stored)
    with audit.acting_as(actor.kind):
        return import_catalog(uow, data, actor.name, f"콘솔 {form['year']}년 기준")


def history(uow: UnitOfWork, actor: Actor) -> list[AuditEntry]:
    """Every catalog change, newest first."""
    require(actor, Action.CATALOG)
    with uow:
        entries = uow.audit.entries("catalog", "catalog")
    return sorted(entries, key=lambda e: e.at, reverse=True)

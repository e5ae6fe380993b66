"""The shipped program catalog (``payroll/data/catalog.toml``) read into domain records.

The same dictionary shape is what ``payroll init`` loads into the database and what the
database adapter gives back, so a year added in either place reads the same way.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pendulum

from payroll.domain.model import (
    InsuranceRates,
    PayBasis,
    PensionBounds,
    Program,
    ProgramYear,
    RateBook,
    RateSource,
    Term,
)
from payroll.domain.model import weekdays_from_codes as weekdays_from_codes
from payroll.domain.tax_year import Bracket, ChildReduction, CreditLimit, PerChild, TaxYear


@dataclass(frozen=True)
class Catalog:
    """The rate book plus the participation-limit rules, as shipped or as stored."""

    rate_book: RateBook
    limits: tuple[Mapping[str, Any], ...]


def shipped_catalog_data() -> dict[str, Any]:
    """The raw catalog shipped in the package."""
    text = resources.files("payroll.data").joinpath("catalog.toml").read_text("utf-8")
    return tomllib.loads(text)


def month_bounds(month: str) -> tuple[date, date]:
    """``"2025-03"`` -> (2025-03-01, 2025-03-31)."""
    first = pendulum.parse(month + "-01", exact=True)
    assert isinstance(first, pendulum.Date)
    return date(first.year, first.month, 1), date(first.year, first.month, first.days_in_month)


def catalog_from_data(data: Mapping[str, Any]) -> Catalog:
    """Build domain records from the catalog's dictionary shape."""
    programs = {
        p["code"]: Program(
            code=p["code"],
            name=p["name"],
            pay_basis=PayBasis(p["pay_basis"]),
            rate_source=RateSource(p["rate_source"]),
            daily_hours=Decimal(str(p["daily_hours"])),
            weekdays=weekdays_from_codes(p["weekdays"]),
            min_age=int(p.get("min_age", 18)),
            max_age=p.get("max_age"),
        )
        for p in data.get("programs", [])
    }
    program_years = {
        (y["program"], int(y["year"])): ProgramYear(
            program=y["program"],
            year=int(y["year"]),
            daily_expense_allowance=int(y["daily_expense_allowance"]),
            city_ratio=Decimal(str(y["city_ratio"])),
            industrial_accident_rate=Decimal(str(y["industrial_accident_rate"])),
        )
        for y in data.get("program_years", [])
    }
    hourly_rates = {
        (RateSource(r["source"]), int(year)): int(won)
        for r in data.get("hourly_rates", [])
        for year, won in r["rates"].items()
    }
    insurance = {
        int(i["year"]): InsuranceRates(
            year=int(i["year"]),
            **{f: Decimal(str(i[f])) for f in INSURANCE_FIELDS},
        )
        for i in data.get("insurance", [])
        if not _missing_insurance(i)
    }
    missing_insurance = {
        int(i["year"]): _missing_insurance(i)
        for i in data.get("insurance", [])
        if _missing_insurance(i)
    }
    bounds = tuple(
        PensionBounds(
            start=month_bounds(b["from"])[0],
            end=month_bounds(b["to"])[1],
            floor=int(b["floor"]),
            ceiling=int(b["ceiling"]),
        )
        for b in data.get("pension_bounds", [])
    )
    terms = tuple(
        Term(
            program=t["program"],
            code=str(t["code"]),
            start=date.fromisoformat(str(t["start"])),
            end=date.fromisoformat(str(t["end"])),
        )
        for t in data.get("terms", [])
    )
    book = RateBook(
        programs=programs,
        program_years=program_years,
        hourly_rates=hourly_rates,
        insurance=insurance,
        pension_bounds=bounds,
        terms=terms,
        tax_years={int(t["year"]): tax_year_from_data(t) for t in data.get("tax_years", [])},
        child_reductions=tuple(
            ChildReduction(date.fromisoformat(str(c["from"])), per_child(c))
            for c in data.get("child_reductions", [])
        ),
        missing_insurance=missing_insurance,
    )
    return Catalog(rate_book=book, limits=tuple(data.get("limits", [])))


INSURANCE_FIELDS = (
    "national_pension",
    "health_insurance",
    "long_term_care_share",
    "employment_insurance",
    "job_stability",
)


def _missing_insurance(block: Mapping[str, Any]) -> tuple[str, ...]:
    """The insurance rates a year's block does not give yet (published later)."""
    return tuple(f for f in INSURANCE_FIELDS if block.get(f) in (None, ""))


def _brackets(rows: list[Mapping[str, Any]]) -> tuple[Bracket, ...]:
    return tuple(
        Bracket(
            up_to=None if r.get("up_to") is None else int(r["up_to"]),
            base=int(r["base"]),
            over=int(r["over"]),
            rate=Decimal(str(r["rate"])),
        )
        for r in rows
    )


def per_child(data: Mapping[str, Any]) -> PerChild:
    return PerChild(int(data["one"]), int(data["two"]), int(data["each_further"]))


def tax_year_from_data(t: Mapping[str, Any]) -> TaxYear:
    """One ``[[tax_years]]`` block (§5's meal cap, §13's settlement figures)."""
    return TaxYear(
        year=int(t["year"]),
        meal_allowance_cap=int(t["meal_allowance_cap"]),
        personal_deduction=int(t["personal_deduction"]),
        standard_credit=int(t["standard_credit"]),
        earned_income_deduction=_brackets(t["earned_income_deduction"]),
        earned_income_deduction_cap=int(t["earned_income_deduction_cap"]),
        tax_brackets=_brackets(t["tax_brackets"]),
        earned_income_credit=_brackets(t["earned_income_credit"]),
        earned_income_credit_limits=tuple(
            CreditLimit(
                up_to=None if r.get("up_to") is None else int(r["up_to"]),
                base=int(r["base"]),
                over=int(r["over"]),
                rate=Decimal(str(r["rate"])),
                minimum=int(r["minimum"]),
            )
            for r in t["earned_income_credit_limits"]
        ),
        child_credit=per_child(t["child_credit"]),
    )


def shipped_catalog() -> Catalog:
    """The catalog as shipped in the package."""
    return catalog_from_data(shipped_catalog_data())

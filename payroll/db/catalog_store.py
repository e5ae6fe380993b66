"""The catalog in the database: loaded from the shipped data, read back as domain records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from payroll.db.models import (
    ChildReductionRow,
    District,
    HolidayOverride,
    HourlyRateRow,
    InsuranceRateRow,
    LimitRuleRow,
    PensionBoundsRow,
    ProgramRow,
    ProgramYearRow,
    TaxYearRow,
    TermRow,
    WithholdingTableRow,
)
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.limits import former_messages
from payroll.domain.withholding import WithholdingTable
from payroll.domain.withholding_dates import DatedTaxTables
from payroll.reference.catalog import INSURANCE_FIELDS, Catalog, catalog_from_data
from payroll.reference.withholding_data import shipped_withholding_table


@dataclass(frozen=True)
class LoadReport:
    """How many catalog rows ``payroll init`` added (existing rows are kept as edited).

    ``limit_rule_messages`` counts stored limit rules whose unedited, formerly shipped
    message was replaced by the message shipped now.
    """

    added: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.added.values())


def load_catalog(
    session: Session, data: Mapping[str, Any], *, overwrite: bool = False
) -> LoadReport:
    """Insert the catalog rows the database does not have yet; never overwrite edits.

    With ``overwrite`` (the city's own catalog import) rows of the same key take the
    data's values, and the limit rules it gives are marked as the city's edits.
    """
    added: dict[str, int] = {}

    def add(kind: str, model: type, key: dict[str, Any], values: dict[str, Any]) -> None:
        exists = session.scalars(select(model).filter_by(**key)).first()
        if exists is None:
            session.add(model(**key, **values))
            added[kind] = added.get(kind, 0) + 1
        elif overwrite:
            for name, value in values.items():
                setattr(exists, name, value)
            added[kind] = added.get(kind, 0) + 1

    for code, name in data.get("districts", {}).items():
        add("districts", District, {"code": str(code)}, {"name": name})
    for p in data.get("programs", []):
        add(
            "programs",
            ProgramRow,
            {"code": p["code"]},
            {
                "name": p["name"],
                "pay_basis": p["pay_basis"],
                "rate_source": p["rate_source"],
                "daily_hours": p["daily_hours"],
                "weekdays": ",".join(p["weekdays"]),
                "min_age": p.get("min_age", 18),
                "max_age": p.get("max_age"),
            },
        )
    session.flush()
    for y in data.get("program_years", []):
        add(
            "program_years",
            ProgramYearRow,
            {"program_code": y["program"], "year": y["year"]},
            {
                "daily_expense_allowance": y["daily_expense_allowance"],
                "city_ratio": y["city_ratio"],
                "industrial_accident_rate": y["industrial_accident_rate"],
            },
        )
    for r in data.get("hourly_rates", []):
        for year, won in r["rates"].items():
            add(
                "hourly_rates",
                HourlyRateRow,
                {"source": r["source"], "year": int(year)},
                {"won": won},
            )
    for i in data.get("insurance", []):
        add(
            "insurance_rates",
            InsuranceRateRow,
            {"year": i["year"]},
            {k: i.get(k) for k in INSURANCE_FIELDS},
        )
    for b in data.get("pension_bounds", []):
        add(
            "pension_bounds",
            PensionBoundsRow,
            {"from_month": b["from"]},
            {"to_month": b["to"], "floor": b["floor"], "ceiling": b["ceiling"]},
        )
    for t in data.get("terms", []):
        add(
            "terms",
            TermRow,
            {"program_code": t["program"], "code": str(t["code"])},
            {"start": _date(t["start"]), "end": _date(t["end"])},
        )
    for t in data.get("tax_years", []):
        add(
            "tax_years",
            TaxYearRow,
            {"year": t["year"]},
            {
                "meal_allowance_cap": t["meal_allowance_cap"],
                "parameters": {
                    k: v for k, v in t.items() if k not in ("year", "meal_allowance_cap")
                },
            },
        )
    for c in data.get("child_reductions", []):
        add(
            "child_reductions",
            ChildReductionRow,
            {"pay_date_from": _date(c["from"])},
            {"one_child": c["one"], "two_children": c["two"], "each_further": c["each_further"]},
        )
    limits = _load_limits(session, data.get("limits", []), overwrite)
    if limits:
        added["limit_rules"] = limits
    renamed = _refresh_limit_messages(session, data.get("limits", []))
    if renamed:
        added["limit_rule_messages"] = renamed
    session.flush()
    return LoadReport(added)


def _load_limits(session: Session, rules: list[Mapping[str, Any]], overwrite: bool) -> int:
    """Add limit rules by code and programs; update the ones the city never edited.

    ``overwrite`` (the city's import) updates every rule it gives and marks it edited.
    """
    stored = {(r.code, r.programs): r for r in session.scalars(select(LimitRuleRow))}
    count = 0
    for rule in rules:
        settings = {
            k: v for k, v in rule.items() if k not in ("code", "programs", "enabled", "message")
        }
        key = (rule["code"], ",".join(rule["programs"]))
        row = stored.get(key)
        if row is None:
            session.add(
                LimitRuleRow(
                    code=rule["code"],
                    programs=key[1],
                    enabled=rule.get("enabled", True),
                    settings=settings,
                    message=rule["message"],
                    edited=overwrite,
                )
            )
            count += 1
        elif overwrite:
            row.settings, row.message = settings, rule["message"]
            row.enabled, row.edited = rule.get("enabled", True), True
            count += 1
        elif not row.edited and (row.settings or {}) != settings:
            row.settings = settings  # a shipped rule's new settings; the switch stays
            count += 1
    return count


def _refresh_limit_messages(session: Session, shipped: list[Mapping[str, Any]]) -> int:
    """Give unedited stored limit rules the shipped message of the same code and programs."""
    # A stored rule still carrying a message an earlier version shipped (its rule type's
    # ``former_messages``) was never edited by an administrator: it gets the message shipped
    # now. Any other stored message is an edit and is kept.
    former = former_messages()
    current = {(r["code"], ",".join(r["programs"])): r["message"] for r in shipped}
    changed = 0
    for row in session.scalars(select(LimitRuleRow)):
        new = current.get((row.code, row.programs))
        if new is not None and row.message in former.get(row.code, ()):
            row.message = new
            changed += 1
    return changed


def _date(value: Any) -> Any:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def catalog_data(session: Session) -> dict[str, Any]:
    """The stored catalog in the shipped data's dictionary shape."""
    rates: dict[str, dict[str, int]] = {}
    for r in session.scalars(select(HourlyRateRow)):
        rates.setdefault(r.source, {})[str(r.year)] = r.won
    return {
        "programs": [
            {
                "code": p.code,
                "name": p.name,
                "pay_basis": p.pay_basis,
                "rate_source": p.rate_source,
                "daily_hours": str(p.daily_hours),
                "weekdays": p.weekdays.split(","),
                "min_age": p.min_age,
                "max_age": p.max_age,
            }
            for p in session.scalars(select(ProgramRow))
        ],
        "program_years": [
            {
                "program": y.program_code,
                "year": y.year,
                "daily_expense_allowance": y.daily_expense_allowance,
                "city_ratio": str(y.city_ratio),
                "industrial_accident_rate": str(y.industrial_accident_rate),
            }
            for y in session.scalars(select(ProgramYearRow))
        ],
        "hourly_rates": [{"source": s, "rates": r} for s, r in rates.items()],
        "insurance": [
            {
                "year": i.year,
                **{f: str(getattr(i, f)) for f in INSURANCE_FIELDS if getattr(i, f) is not None},
            }
            for i in session.scalars(select(InsuranceRateRow))
        ],
        "pension_bounds": [
            {"from": b.from_month, "to": b.to_month, "floor": b.floor, "ceiling": b.ceiling}
            for b in session.scalars(select(PensionBoundsRow))
        ],
        "terms": [
            {
                "program": t.program_code,
                "code": t.code,
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
            }
            for t in session.scalars(select(TermRow))
        ],
        "tax_years": [
            {"year": t.year, "meal_allowance_cap": t.meal_allowance_cap, **t.parameters}
            for t in session.scalars(select(TaxYearRow))
        ],
        "child_reductions": [
            {
                "from": c.pay_date_from.isoformat(),
                "one": c.one_child,
                "two": c.two_children,
                "each_further": c.each_further,
            }
            for c in session.scalars(select(ChildReductionRow))
        ],
        "limits": [
            {
                "code": r.code,
                "programs": r.programs.split(","),
                "enabled": r.enabled,
                "message": r.message,
                **(r.settings or {}),
            }
            for r in session.scalars(select(LimitRuleRow).order_by(LimitRuleRow.id))
        ],
        "districts": {d.code: d.name for d in session.scalars(select(District))},
    }


def read_catalog(session: Session) -> Catalog:
    """The stored catalog as domain records (what runs and enrollments use)."""
    return catalog_from_data(catalog_data(session))


def holiday_calendar(session: Session) -> HolidayCalendar:
    """The public-holiday calendar with the administrators' override table applied."""
    overrides = list(session.scalars(select(HolidayOverride)))
    return HolidayCalendar(
        added={o.day: o.name for o in overrides if o.action == "add"},
        removed=frozenset(o.day for o in overrides if o.action == "remove"),
    )


def store_withholding_rows(
    session: Session, source: str, rows: list[list[Any]], effective_from: date | None = None
) -> None:
    """Keep an imported withholding table, in force for pay dates from ``effective_from``."""
    session.add(
        WithholdingTableRow(
            source=source, loaded_at=datetime.now(UTC), rows=rows, effective_from=effective_from
        )
    )


def withholding_table(session: Session, pay_date: date | None = None) -> WithholdingTable:
    """The table in force on ``pay_date`` (default: the newest), or the shipped one.

    In force: the table with the latest 시행일 on or before the pay date (among tables of
    the same date, the one imported last). A table stored without a date counts as in
    force from the start.
    """
    query = select(WithholdingTableRow)
    if pay_date is not None:
        query = query.where(
            or_(
                WithholdingTableRow.effective_from.is_(None),
                WithholdingTableRow.effective_from <= pay_date,
            )
        )
    rows = list(session.scalars(query))
    if not rows:
        return shipped_withholding_table()
    newest = max(rows, key=lambda r: (r.effective_from or date.min, r.id))
    return WithholdingTable.from_rows(newest.rows, newest.source)


def dated_tax_tables(session: Session) -> DatedTaxTables:
    """Every stored table with its 시행일, for runs that pick one per pay date."""
    rows = list(session.scalars(select(WithholdingTableRow).order_by(WithholdingTableRow.id)))
    undated = [r for r in rows if r.effective_from is None]
    base = (
        WithholdingTable.from_rows(undated[-1].rows, undated[-1].source)
        if undated
        else shipped_withholding_table()
    )
    dated = tuple(
        (r.effective_from, WithholdingTable.from_rows(r.rows, r.source))
        for r in rows
        if r.effective_from is not None
    )
    return DatedTaxTables(base, dated)


def withholding_tables(session: Session) -> list[tuple[int, str, date | None, datetime]]:
    """Every imported table: id, source, 시행일, when imported (oldest first)."""
    return [
        (r.id, r.source, r.effective_from, r.loaded_at)
        for r in session.scalars(select(WithholdingTableRow).order_by(WithholdingTableRow.id))
    ]

"""The catalog as the city's data in the database: migration 0010, limits by code at
`payroll init`, withholding tables by 시행일, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from payroll.db import migrate
from payroll.db.catalog_store import (
    dated_tax_tables,
    load_catalog,
    store_withholding_rows,
    withholding_table,
)
from payroll.db.engine import make_engine, transaction
from payroll.db.models import InsuranceRateRow, LimitRuleRow
from payroll.reference.catalog import shipped_catalog_data
from payroll.reference.withholding_data import shipped_withholding_table
from tests.conftest import new_empty_database_url


def test_0010_keeps_stored_rows_and_lets_a_rate_be_missing(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0009")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO insurance_rates VALUES (2025, 0.045, 0.03545, 0.1295, 0.009, "
                    "0.0085)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO limit_rules (code, programs, enabled, settings, message) "
                    "VALUES ('no_overlap', 'dongheng', true, '{}', 'm')"
                )
            )
        migrate.upgrade(url, "0010")
        with transaction(engine) as session:
            [rule] = session.scalars(select(LimitRuleRow))
            assert rule.edited is False
            session.add(InsuranceRateRow(year=2027, national_pension="0.05"))
        with engine.connect() as conn:
            query = text("SELECT year, long_term_care_share FROM insurance_rates")
            rows = {year: ltc for year, ltc in conn.execute(query)}
        assert rows[2027] is None and float(rows[2025]) == pytest.approx(0.1295)
    finally:
        engine.dispose()


def test_init_adds_a_new_programs_limits_and_never_overwrites_an_edited_rule(
    engine: Engine,
) -> None:
    data = shipped_catalog_data()
    with transaction(engine) as session:
        edited = next(r for r in session.scalars(select(LimitRuleRow)) if r.code == "no_overlap")
        edited.settings, edited.edited = {"note": "city"}, True
    data["programs"].append({**data["programs"][1], "code": "youth", "name": "청년"})
    data["limits"].append(
        {
            "code": "age_band",
            "programs": ["youth"],
            "min_age": 18,
            "max_age": 34,
            "message": "{program}: 만 {min_age}~{max_age}세",
        }
    )
    with transaction(engine) as session:
        report = load_catalog(session, data)
    assert report.added["limit_rules"] == 1
    with transaction(engine) as session:
        rules = {(r.code, r.programs): r for r in session.scalars(select(LimitRuleRow))}
        assert rules[("age_band", "youth")].settings == {"min_age": 18, "max_age": 34}
        assert rules[("no_overlap", "dongheng,maeryeok")].settings == {"note": "city"}


def test_a_table_is_used_from_its_effective_date(engine: Engine) -> None:
    shipped = shipped_withholding_table()
    rows = [list(r) for r in shipped.to_rows()]
    for row in rows:
        row[2] = int(row[2]) + 10 if int(row[2]) else 0
    with transaction(engine) as session:
        store_withholding_rows(session, "2027.csv", rows, date(2027, 1, 1))
    with transaction(engine) as session:
        assert withholding_table(session, date(2026, 12, 31)).source == shipped.source
        assert withholding_table(session, date(2027, 1, 1)).source == "2027.csv"
        tables = dated_tax_tables(session)
    pay = 2_000_000
    assert tables.on(date(2026, 10, 10)).tax(pay, 1) == shipped.tax(pay, 1)
    assert tables.on(date(2027, 2, 10)).tax(pay, 1) == shipped.tax(pay, 1) + 10

"""The schema comes only from Alembic migrations and is the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from payroll.db import migrate
from payroll.db.engine import make_engine
from payroll.db.models import Base
from tests.conftest import new_empty_database_url


def _schema(url: str) -> dict[str, set[str]]:
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_downgrade_back(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    tables = set(_schema(url))
    assert set(Base.metadata.tables) <= tables
    migrate.check(url)  # models and migrated schema agree (alembic check is clean)
    migrate.downgrade(url, "base")
    assert migrate.current_revision(url) is None
    assert set(_schema(url)) <= {"alembic_version"}
    migrate.upgrade(url)  # and up again from nothing
    assert migrate.current_revision(url) == migrate.head_revision()


def test_sqlite_and_postgresql_get_the_same_schema(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    schemas = []
    for backend in ("sqlite", "postgresql"):
        url = new_empty_database_url(backend, request, tmp_path)
        migrate.upgrade(url)
        migrate.check(url)
        schemas.append(_schema(url))
    assert schemas[0] == schemas[1]


def test_0004_moves_the_v1_accident_rate_to_096_and_keeps_edited_rates(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """§1 v2: the v1 catalog's 1.47 % becomes 0.96 % for 2024–2026; other rates stay."""
    from sqlalchemy import text

    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0003")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO programs (code, name, pay_basis, rate_source, daily_hours, "
                    "weekdays, min_age) VALUES ('dongheng', 'x', 'hourly', 'minimum_wage', 6, "
                    "'mon', 18)"
                )
            )
            for year, rate in ((2024, "0.0147"), (2025, "0.0147"), (2026, "0.0120")):
                conn.execute(
                    text(
                        "INSERT INTO program_years (program_code, year, daily_expense_allowance,"
                        " city_ratio, industrial_accident_rate) VALUES ('dongheng', :y, 6000,"
                        " 0.9, :r)"
                    ),
                    {"y": year, "r": rate},
                )
        migrate.upgrade(url)
        with engine.connect() as conn:
            rates = dict(
                conn.execute(text("SELECT year, industrial_accident_rate FROM program_years")).all()
            )
    finally:
        engine.dispose()
    from decimal import Decimal

    assert {y: Decimal(str(r)).normalize() for y, r in rates.items()} == {
        2024: Decimal("0.0096"),
        2025: Decimal("0.0096"),
        2026: Decimal("0.012"),  # an administrator's rate is kept
    }

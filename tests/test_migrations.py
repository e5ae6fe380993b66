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

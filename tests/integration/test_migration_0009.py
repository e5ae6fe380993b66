"""Migration 0009: a term closed before it (an audit entry only) stays closed after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from payroll.db import migrate
from payroll.db.engine import make_engine
from tests.conftest import new_empty_database_url


def test_0009_carries_closed_terms_over_from_the_audit_log(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0005")
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
            for code, start, end in (
                ("2024-H2", "2024-07-01", "2024-12-20"),
                ("2025-H1", "2025-01-10", "2025-06-30"),
            ):
                conn.execute(
                    text(
                        'INSERT INTO terms (program_code, code, start, "end") '
                        "VALUES ('dongheng', :c, :s, :e)"
                    ),
                    {"c": code, "s": start, "e": end},
                )
            for at, actor in (("2025-01-03 00:00:00", "scheduler"), ("2025-02-01 00:00:00", "x")):
                conn.execute(
                    text(
                        "INSERT INTO audit_log (at, actor, actor_kind, action, entity, entity_id,"
                        " detail) VALUES (:at, :actor, 'operator', 'term.closed', 'term',"
                        " 'dongheng:2024-H2', '{}')"
                    ),
                    {"at": at, "actor": actor},
                )
        migrate.upgrade(url, "0009")
        with engine.connect() as conn:
            closed = dict(
                conn.execute(text("SELECT term_code, closed_by FROM term_closures")).all()
            )
        assert closed == {"2024-H2": "scheduler"}  # the first closure; 2025-H1 still open
        migrate.downgrade(url, "0005")
        migrate.upgrade(url, "0009")  # the audit entries still hold it
        with engine.connect() as conn:
            again = conn.execute(text("SELECT term_code FROM term_closures"))
            assert [c for (c,) in again] == ["2024-H2"]
    finally:
        engine.dispose()

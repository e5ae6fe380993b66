"""Migration 0017: payslip lines keyed by (payslip, kind, position). A finalized month's
lines come through the change and back unchanged, and after it the database still refuses
any change to them and a second line in the same place."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from payroll.db import migrate
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import calculate_runs
from tests.support.attack import finalize_month
from tests.support.factories import add_enrolled

LINES = "SELECT payslip_id, kind, position, code, amount FROM payslip_lines"


def _lines(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(text(LINES)))


def _key(engine: Engine) -> list[str]:
    return inspect(engine).get_pk_constraint("payslip_lines")["constrained_columns"]


def test_a_finalized_months_lines_survive_0017_both_ways(db_url: str, engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    add_enrolled(engine, "P-2", name="이서준")
    [final] = finalize_month(engine)
    before = _lines(engine)
    assert len(before) > 10 and _key(engine) == ["payslip_id", "kind", "position"]
    engine.dispose()
    migrate.downgrade(db_url, "0016")
    assert _lines(engine) == before and _key(engine) == ["id"]
    engine.dispose()
    migrate.upgrade(db_url)
    assert _lines(engine) == before
    slip = before[0][0]
    for statement in (
        f"UPDATE payslip_lines SET amount = amount + 1 WHERE payslip_id = {slip}",
        f"DELETE FROM payslip_lines WHERE payslip_id = {slip}",
        "INSERT INTO payslip_lines (payslip_id, kind, code, amount, explanation, position)"
        f" VALUES ({slip}, 'earning', 'base_pay', 1, 'x', 99)",
    ):
        with pytest.raises(DBAPIError, match="never change"), engine.begin() as conn:
            conn.execute(text(statement))
    assert _lines(engine) == before, f"run {final} changed"


def test_two_lines_in_the_same_place_are_refused(engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    calculate_runs(SqlUnitOfWork(engine), "2025-03")
    [(slip, kind, position, _code, _amount), *_] = _lines(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO payslip_lines (payslip_id, kind, code, amount, explanation,"
                f" position) VALUES ({slip}, '{kind}', 'base_pay', 1, 'x', {position})"
            )
        )

"""Attack: payslip lines that name no payslip, payslips deleted under their lines.

On PostgreSQL the reference from a line to its payslip is checked once per statement by
the guards of migration 0018 instead of a per-row foreign key (SQLite keeps its foreign
key). Whichever database, the same statements are refused and nothing is half written;
on PostgreSQL the guards also hold between two transactions at once. Month: March 2026,
중구 calculated (open), so only the reference guards stand in the way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from payroll.db.bulk import bulk_insert
from payroll.db.engine import transaction
from payroll.db.models import PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import calculate_runs
from tests.support.factories import add_enrolled

MONTH = "2026-03"
TERM = {"start": date(2026, 1, 5), "end": date(2026, 6, 30), "term": "2026-H1"}
REFUSED = "foreign key|FOREIGN KEY|does not exist|lines name it|never moves|READ COMMITTED"


@pytest.fixture
def slips(engine: Engine) -> list[int]:
    """The two open payslips of 중구's March 2026 run (each with its lines)."""
    add_enrolled(engine, "P-1", district="11140", **TERM)  # type: ignore[arg-type]
    add_enrolled(engine, "P-2", name="이서준", district="11140", **TERM)  # type: ignore[arg-type]
    [run] = calculate_runs(SqlUnitOfWork(engine), MONTH, district="11140")
    with transaction(engine) as session:
        found = session.scalars(select(PayslipRow.id).where(PayslipRow.run_id == run.id)).all()
    assert len(found) == 2
    return sorted(found)


def _lines(engine: Engine) -> dict[int, int]:
    with transaction(engine) as session:
        rows = session.execute(
            select(PayslipLineRow.payslip_id, func.count()).group_by(PayslipLineRow.payslip_id)
        )
        return {slip: n for slip, n in rows}


def _line(slip: int, position: int = 99) -> dict[str, object]:
    return {
        "payslip_id": slip,
        "kind": "earning",
        "code": "bonus",
        "amount": 1_000_000,
        "explanation": "공격",
        "position": position,
        "ref_month": None,
    }


def test_a_line_naming_no_payslip_is_refused_and_its_statement_whole(
    engine: Engine, slips: list[int]
) -> None:
    before = _lines(engine)
    missing = max(slips) + 1000
    # the app's bulk writer (COPY on PostgreSQL): one good line and one orphan together
    with pytest.raises(DBAPIError, match=REFUSED), transaction(engine) as session:
        bulk_insert(session, PayslipLineRow.__table__, [_line(slips[0]), _line(missing)])  # type: ignore[arg-type]
    with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO payslip_lines (payslip_id, kind, code, amount, explanation, "
                f"position) VALUES ({missing}, 'earning', 'bonus', 1000000, '공격', 0)"
            )
        )
    assert _lines(engine) == before
    with transaction(engine) as session:  # a line naming an open payslip is the app's to add
        bulk_insert(session, PayslipLineRow.__table__, [_line(slips[0])])  # type: ignore[arg-type]
    assert _lines(engine)[slips[0]] == before[slips[0]] + 1


def test_a_payslip_is_not_deleted_while_its_lines_name_it(engine: Engine, slips: list[int]) -> None:
    with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
        conn.execute(text(f"DELETE FROM payslips WHERE id IN ({slips[0]}, {slips[1]})"))
    assert set(_lines(engine)) == set(slips)
    with engine.begin() as conn:  # lines first, then the payslip: as a recalculation does
        conn.execute(text(f"DELETE FROM payslip_lines WHERE payslip_id = {slips[0]}"))
        conn.execute(text(f"DELETE FROM payslips WHERE id = {slips[0]}"))
    assert set(_lines(engine)) == {slips[1]}


def test_a_line_never_moves_and_a_payslip_id_never_changes(
    engine: Engine, slips: list[int]
) -> None:
    before = _lines(engine)
    first, second = slips
    for statement in (
        f"UPDATE payslip_lines SET payslip_id = {second}, position = position + 100 "
        f"WHERE payslip_id = {first}",
        f"UPDATE payslips SET id = {second + 1000} WHERE id = {second}",
    ):
        with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
            conn.execute(text(statement))
    assert _lines(engine) == before
    with engine.begin() as conn:  # other columns of an open payslip's line still change
        conn.execute(text(f"UPDATE payslip_lines SET amount = 1 WHERE payslip_id = {first}"))


# --- two transactions at once (PostgreSQL; SQLite has one writer at a time) ------------


ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def two(engine: Engine) -> Iterator[tuple[Connection, Connection]]:
    """Two sessions that give up waiting for a lock after 0.3 s."""
    first, second = engine.connect(), engine.connect()
    for conn in (first, second):
        conn.execute(text("SET lock_timeout = '300ms'"))
        conn.commit()
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def bare(engine: Engine, slips: list[int]) -> int:
    """An open payslip whose lines were removed (so deleting it is allowed)."""
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM payslip_lines WHERE payslip_id = {slips[0]}"))
    return slips[0]


def _add_line(slip: int) -> str:
    return (
        "INSERT INTO payslip_lines (payslip_id, kind, code, amount, explanation, position) "
        f"VALUES ({slip}, 'earning', 'bonus', 1, '공격', 0)"
    )


def _refused(conn: Connection, statement: str, match: str) -> None:
    """``statement`` in a transaction of its own on ``conn`` fails with ``match``."""
    conn.begin()
    with pytest.raises(DBAPIError, match=match):
        conn.execute(text(statement))
    conn.rollback()


@ON_POSTGRESQL
def test_a_payslip_whose_new_line_is_not_committed_waits_then_is_kept(
    engine: Engine, bare: int, two: tuple[Connection, Connection]
) -> None:
    writer, deleter = two
    writer.begin()
    writer.execute(text(_add_line(bare)))
    delete = f"DELETE FROM payslips WHERE id = {bare}"
    _refused(deleter, delete, "lock timeout")  # the new line's payslip is locked
    writer.commit()
    _refused(deleter, delete, REFUSED)  # and now its line is there
    assert _lines(engine)[bare] == 1


@ON_POSTGRESQL
def test_a_line_for_a_payslip_being_deleted_waits_then_is_refused(
    engine: Engine, bare: int, two: tuple[Connection, Connection]
) -> None:
    deleter, writer = two
    deleter.begin()
    deleter.execute(text(f"DELETE FROM payslips WHERE id = {bare}"))
    _refused(writer, _add_line(bare), "lock timeout")  # waits for the delete
    deleter.commit()
    _refused(writer, _add_line(bare), REFUSED)  # which went through
    assert bare not in _lines(engine)


@ON_POSTGRESQL
def test_no_payslip_is_deleted_under_repeatable_read(
    engine: Engine, bare: int, two: tuple[Connection, Connection]
) -> None:
    """Under REPEATABLE READ the delete's check would not see lines committed after its
    snapshot: such a delete is refused, even of a payslip that has no lines now."""
    conn, _ = two
    conn.execute(text("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
    conn.commit()
    _refused(conn, f"DELETE FROM payslips WHERE id = {bare}", "READ COMMITTED")
    with engine.begin() as setup:  # READ COMMITTED, as the app deletes
        setup.execute(text(f"DELETE FROM payslips WHERE id = {bare}"))

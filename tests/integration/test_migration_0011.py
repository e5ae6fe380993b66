"""Migration 0011: participants keep their rows, enrollments and guards, gain a person key
(when the keys are set), and a participant ID becomes a district's own number."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from payroll.db import migrate
from payroll.db.engine import make_engine
from payroll.privacy import person_key, rrn
from tests.conftest import PERSON_KEY, new_empty_database_url

RRN_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU="
NUMBER = "700501-2123456"
INSERT_PERSON = (
    "INSERT INTO participants (id, participant_id, name, birth_date, district_code, "
    "dependents, children, rrn_encrypted, rrn_masked, created_at) VALUES (:id, :pid, '김민지', "
    "'1970-05-01', :d, 1, 0, :token, '700501-2******', '2025-01-02 00:00:00')"
)


def _seed(url: str) -> None:
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
            for code, name in (("11110", "종로구"), ("11440", "마포구")):
                conn.execute(text("INSERT INTO districts VALUES (:c, :n)"), {"c": code, "n": name})
            conn.execute(
                text(INSERT_PERSON),
                {"id": 1, "pid": "J-1", "d": "11110", "token": rrn.encrypt(NUMBER)},
            )
            conn.execute(
                text(
                    "INSERT INTO enrollments (participant_pk, program_code, term_code, start,"
                    " \"end\", source, created_at) VALUES (1, 'dongheng', '2025-H1', "
                    "'2025-01-10', '2025-06-30', 'roster', '2025-01-02 00:00:00')"
                )
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("keys_set", [True, False])
def test_0011_keeps_the_rows_and_computes_person_keys_when_the_keys_are_set(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keys_set: bool,
) -> None:
    monkeypatch.setenv("PAYROLL_RRN_KEY", RRN_KEY)
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0009")
    _seed(url)
    if not keys_set:
        monkeypatch.delenv("PAYROLL_PERSON_KEY", raising=False)
    else:
        monkeypatch.setenv("PAYROLL_PERSON_KEY", PERSON_KEY)
    migrate.upgrade(url, "0011")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            key = conn.execute(text("SELECT person_key FROM participants WHERE id = 1")).scalar()
            count = conn.execute(text("SELECT count(*) FROM enrollments")).scalar()
        assert count == 1
        assert key == (person_key.person_key(NUMBER, PERSON_KEY) if keys_set else None)
        with engine.begin() as conn:  # the same ID in another district: another person
            conn.execute(text(INSERT_PERSON), {"id": 2, "pid": "J-1", "d": "11440", "token": None})
        with pytest.raises(DatabaseError), engine.begin() as conn:  # twice in one district
            conn.execute(text(INSERT_PERSON), {"id": 3, "pid": "J-1", "d": "11110", "token": None})
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM participants WHERE id = 2"))
        migrate.downgrade(url, "0009")
        migrate.upgrade(url, "0011")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM enrollments")).scalar() == 1
    finally:
        engine.dispose()


def test_0011_keeps_the_frozen_month_guards_on_participants(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite rebuilds the table: the 0005 guards on it must come back (their behaviour is
    tested in tests/integration/security/test_frozen_runs.py, on the migrated schema)."""
    monkeypatch.setenv("PAYROLL_RRN_KEY", RRN_KEY)
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0009")
    _seed(url)
    migrate.upgrade(url, "0011")
    engine = make_engine(url)
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'participants'"
        if backend == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE tgrelid = 'participants'::regclass"
    )
    try:
        with engine.connect() as conn:
            names = set(conn.execute(text(query)).scalars())
    finally:
        engine.dispose()
    assert {"participants_frozen_update", "participants_frozen_delete"} <= names

"""The PostgreSQL role set-up of docs/security.md, done as written: the application's role
owns nothing, so it can neither TRUNCATE nor drop or disable a trigger, yet runs a month."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from payroll.cli.main import app
from payroll.db.engine import make_engine
from tests.support.attack import finalize_month, runner
from tests.support.factories import add_enrolled

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _run(url: str, block: str, names: dict[str, str]) -> None:
    """Run a documented SQL block (``\\c`` lines switch to the database of ``url``)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in block.split(";"):
            lines = [
                ln for ln in statement.splitlines() if not ln.strip().startswith(("--", "\\c"))
            ]
            sql = "\n".join(lines).strip()
            for old, new in names.items():
                sql = sql.replace(old, new)
            if sql:
                conn.execute(text(sql))
    engine.dispose()


def test_the_documented_roles_leave_the_app_no_way_around_the_triggers(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin: str = request.getfixturevalue("pg_admin_url")
    suffix = f"{os.getpid()}"
    names = {
        "payroll_owner": f"payroll_owner_{suffix}",
        "payroll_app": f"payroll_app_{suffix}",
        "DATABASE payroll ": f"DATABASE payroll_roles_{suffix} ",
    }
    create, after_init = _sql_blocks()
    setup, per_database = create.split("\\c payroll", 1)
    _run(admin, setup, names)
    base = make_url(admin).set(database=f"payroll_roles_{suffix}")
    owner = base.set(username=names["payroll_owner"], password="change me")
    app_url = base.set(username=names["payroll_app"], password="change me too")
    render = lambda u: u.render_as_string(hide_password=False)  # noqa: E731
    try:
        _run(render(base), per_database, names)
        monkeypatch.setenv("PAYROLL_DATABASE_URL", render(owner))
        assert runner.invoke(app, ["init"]).exit_code == 0
        _run(render(base), after_init, names)

        engine = make_engine(render(app_url))
        add_enrolled(engine, "P-1")  # the app writes and finalizes a month as usual
        finalize_month(engine)
        for statement in (
            "TRUNCATE payslips CASCADE",
            "ALTER TABLE payslips DISABLE TRIGGER ALL",
            "DROP TRIGGER payslips_frozen_update ON payslips",
            "DELETE FROM audit_log",
            "UPDATE alembic_version SET version_num = '0001'",
        ):
            denied = pytest.raises(DBAPIError, match="permission denied|must be owner")
            with denied, engine.begin() as conn:
                conn.execute(text(statement))
        engine.dispose()
    finally:
        cleanup = create_engine(admin, isolation_level="AUTOCOMMIT")
        with cleanup.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "payroll_roles_{suffix}" WITH (FORCE)'))
            for role in (names["payroll_owner"], names["payroll_app"]):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        cleanup.dispose()

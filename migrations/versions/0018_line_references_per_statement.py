"""payslip lines name their payslip: checked once per statement on PostgreSQL

Revision ID: 0018
Revises: 0017

Every one of a month's ~209,000 payslip lines ran PostgreSQL's foreign-key check on
``payslip_lines.payslip_id``: a lookup and a row lock of its payslip, thirteen times per
payslip, about 0.8 s of the database's CPU for a month of the city (a quarter of storing
it). On PostgreSQL the constraint is replaced by guards that check the same reference once
per statement, and refuse more than it did:

- Lines inserted (INSERT or COPY): every payslip they name must exist, and those payslips
  are locked FOR KEY SHARE until commit, the lock the foreign key's own check takes, so
  another transaction cannot delete one before this one commits. This is 0016's statement
  guard on the lines, which already joins them to their payslips.
- A payslip is not deleted while lines name it (a statement guard over the deleted rows).
  That check reads the lines committed so far, which under READ COMMITTED includes those
  of a transaction the delete waited for. Under REPEATABLE READ it would not, so no payslip
  is deleted there (the app deletes payslips only under READ COMMITTED).
- A line never moves to another payslip, and a payslip's id never changes. The foreign key
  allowed both (towards an existing payslip). Both databases refuse them.

SQLite keeps its foreign key: its check is cheap and it has no statement triggers.
"""

from __future__ import annotations

from types import ModuleType

from alembic import op

from payroll.db.earlier_revision import earlier_revision

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_payslip_lines_payslip_id_payslips"
MISSING_MSG = (
    "급여 명세 항목이 없는 명세서를 가리킵니다 (a payslip line names a payslip that does not exist)"
)
LINES_MSG = (
    "항목이 남아 있는 급여 명세서는 지울 수 없습니다 (a payslip is not deleted while lines name it)"
)
ISOLATION_MSG = (
    "급여 명세서는 READ COMMITTED 트랜잭션에서만 지웁니다 "
    "(payslips are deleted only in READ COMMITTED transactions)"
)
MOVED_MSG = (
    "급여 명세 항목은 다른 명세서로 옮기지 않고, 명세서 번호는 바뀌지 않습니다 "
    "(a payslip line never moves to another payslip; a payslip id never changes)"
)
# (trigger, table, the column that never changes)
FIXED = (
    ("payslip_lines_payslip_fixed", "payslip_lines", "payslip_id"),
    ("payslips_id_fixed", "payslips", "id"),
)


def _revision_0005() -> ModuleType:
    """The 0005 migration module (its messages)."""
    return earlier_revision(__file__, "0005_frozen_runs_payee_snapshot_rrn_key.py")


def _revision_0016() -> ModuleType:
    """The 0016 migration module (the statement guards this one extends)."""
    return earlier_revision(__file__, "0016_statement_freeze_guards.py")


def _lines_inserted_guard() -> None:
    """0016's statement guard on inserted lines, which first checks their payslips."""
    frozen = {table: join for table, _c, join in _revision_0016().GUARDED}["payslip_lines"]
    op.execute(
        "CREATE OR REPLACE FUNCTION payslip_lines_frozen_insert() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ DECLARE wanted bigint; found bigint; BEGIN "
        "SELECT count(DISTINCT payslip_id) INTO wanted FROM new_rows; "
        "SELECT count(*) INTO found FROM (SELECT 1 FROM payslips p "
        "WHERE p.id IN (SELECT payslip_id FROM new_rows) FOR KEY SHARE OF p) named; "
        f"IF found <> wanted THEN RAISE EXCEPTION '{MISSING_MSG}' "
        "USING ERRCODE = 'foreign_key_violation'; END IF; "
        f"IF EXISTS (SELECT 1 FROM new_rows t {frozen} WHERE fr.state = 'finalized') THEN "
        f"RAISE EXCEPTION '{_revision_0005().SLIP_MSG}' USING ERRCODE = 'check_violation'; "
        "END IF; RETURN NULL; END $$"
    )


def _postgresql_upgrade() -> None:
    op.drop_constraint(FOREIGN_KEY, "payslip_lines", type_="foreignkey")
    _lines_inserted_guard()
    op.execute(
        "CREATE FUNCTION payslips_lines_remain() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF current_setting('transaction_isolation') = 'repeatable read' THEN "
        f"RAISE EXCEPTION '{ISOLATION_MSG}' USING ERRCODE = 'foreign_key_violation'; END IF; "
        "IF EXISTS (SELECT 1 FROM old_rows o JOIN payslip_lines l ON l.payslip_id = o.id) "
        f"THEN RAISE EXCEPTION '{LINES_MSG}' USING ERRCODE = 'foreign_key_violation'; "
        "END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER payslips_lines_remain AFTER DELETE ON payslips "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION payslips_lines_remain()"
    )
    for name, table, column in FIXED:
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MOVED_MSG}' USING ERRCODE = 'foreign_key_violation'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE OF {column} ON {table} FOR EACH ROW "
            f"WHEN (NEW.{column} IS DISTINCT FROM OLD.{column}) EXECUTE FUNCTION {name}()"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
        return
    for name, table, column in FIXED:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE OF {column} ON {table} FOR EACH ROW "
            f"WHEN NEW.{column} IS NOT OLD.{column} "
            f"BEGIN SELECT RAISE(ABORT, '{MOVED_MSG}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, _table, _column in FIXED:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    guards = _revision_0016()
    for name, table, _column in (*FIXED, ("payslips_lines_remain", "payslips", "")):
        guards._drop(name, table)
    guards._drop("payslip_lines_frozen_insert", "payslip_lines")
    for table, _column, join in guards.GUARDED:
        if table == "payslip_lines":
            guards._statement_guard(table, join, "INSERT", _revision_0005().SLIP_MSG)
    op.create_foreign_key(FOREIGN_KEY, "payslip_lines", "payslips", ["payslip_id"], ["id"])

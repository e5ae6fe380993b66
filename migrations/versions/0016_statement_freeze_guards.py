"""finalized-run guards once per statement on PostgreSQL; duplicate indexes dropped

Revision ID: 0016
Revises: 0014

Storing a month wrote about 13 payslip lines per participant, and every one of them ran
the row trigger of 0005 (an EXISTS over payslips and runs). On PostgreSQL the guards of
the four tables under a run (payslips, payslip_lines, run_exceptions, finalized_payees)
on INSERT and DELETE become statement triggers over the statement's transition tables:
every inserted or deleted row is still checked against a finalized run, in one set-wise
query per statement instead of one per row. Updates keep their row triggers (the app
never updates these rows in bulk, and a row trigger fires before the unique constraints,
so a row moved into a finalized run is refused as frozen). The trigger names stay the
same. SQLite keeps its row triggers (it has no statement triggers).

``ix_payslip_lines_payslip_id`` and ``ix_payslips_run_id`` duplicated the leading column
of the unique constraints ``(payslip_id, kind, position)`` and ``(run_id, enrollment_id)``.
"""

from __future__ import annotations

from types import ModuleType

from alembic import op

from payroll.db.earlier_revision import earlier_revision

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def _revision_0005() -> ModuleType:
    """The 0005 migration module (its row guards and messages)."""
    return earlier_revision(__file__, "0005_frozen_runs_payee_snapshot_rrn_key.py")


# (table, the column naming the run or payslip, how that column reaches payroll_runs)
GUARDED = (
    ("payslips", "run_id", "JOIN payroll_runs fr ON fr.id = t.run_id"),
    ("run_exceptions", "run_id", "JOIN payroll_runs fr ON fr.id = t.run_id"),
    ("finalized_payees", "run_id", "JOIN payroll_runs fr ON fr.id = t.run_id"),
    (
        "payslip_lines",
        "payslip_id",
        "JOIN payslips fp ON fp.id = t.payslip_id JOIN payroll_runs fr ON fr.id = fp.run_id",
    ),
)
# Updates keep 0005's row triggers: the app never updates these rows in bulk, and a row
# trigger fires before a unique constraint, so a moved row is refused as frozen.
EVENTS = {"INSERT": ("new_rows",), "DELETE": ("old_rows",)}


def _statement_guard(table: str, join: str, event: str, message: str) -> None:
    name = f"{table}_frozen_{event.lower()}"
    sets = EVENTS[event]
    found = " OR ".join(
        f"EXISTS (SELECT 1 FROM {rows} t {join} WHERE fr.state = 'finalized')" for rows in sets
    )
    referencing = " ".join(f"{rows[:3].upper()} TABLE AS {rows}" for rows in sets)
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {found} THEN RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation'; "
        "END IF; RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


def _drop(name: str, table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade() -> None:
    op.drop_index("ix_payslip_lines_payslip_id", table_name="payslip_lines")
    op.drop_index("ix_payslips_run_id", table_name="payslips")
    if op.get_bind().dialect.name != "postgresql":
        return
    message = _revision_0005().SLIP_MSG
    for table, _column, join in GUARDED:
        for event in EVENTS:
            _drop(f"{table}_frozen_{event.lower()}", table)
            _statement_guard(table, join, event, message)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        old = _revision_0005()
        tables = {table for table, _c, _j in GUARDED}
        for name, table, event, cond, msg in old._guards(old._Sql(dialect)):
            if table in tables and event in EVENTS:
                _drop(name, table)
                old._create(name, table, event, cond, msg, True)
    op.create_index("ix_payslips_run_id", "payslips", ["run_id"], unique=False)
    op.create_index("ix_payslip_lines_payslip_id", "payslip_lines", ["payslip_id"], unique=False)

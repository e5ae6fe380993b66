"""payroll runs and payslips

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payroll_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("district_code", sa.String(length=10), nullable=False),
        sa.Column("program_code", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("exception_count", sa.Integer(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("total_deductions", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("employer_total", sa.BigInteger(), nullable=False),
        sa.Column("calculated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalized_by", sa.String(length=100), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_payroll_runs_district_code_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["program_code"], ["programs.code"], name=op.f("fk_payroll_runs_program_code_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_runs")),
        sa.UniqueConstraint(
            "month", "district_code", "program_code", name=op.f("uq_payroll_runs_month")
        ),
    )
    with op.batch_alter_table("payroll_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_runs_month"), ["month"], unique=False)
    op.create_table(
        "attendance_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_attendance_corrections_enrollment_id_enrollments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_corrections")),
        sa.UniqueConstraint(
            "enrollment_id", "day", name=op.f("uq_attendance_corrections_enrollment_id")
        ),
    )
    with op.batch_alter_table("attendance_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_corrections_enrollment_id"), ["enrollment_id"], unique=False
        )
    op.create_table(
        "payslips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("insurable", sa.BigInteger(), nullable=False),
        sa.Column("taxable", sa.BigInteger(), nullable=False),
        sa.Column("non_taxable", sa.BigInteger(), nullable=False),
        sa.Column("total_deductions", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("employer_total", sa.BigInteger(), nullable=False),
        sa.Column("hourly_rate", sa.BigInteger(), nullable=False),
        sa.Column("leave_accrued", sa.Integer(), nullable=False),
        sa.Column("leave_used", sa.Integer(), nullable=False),
        sa.Column("leave_balance", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_payslips_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["payroll_runs.id"], name=op.f("fk_payslips_run_id_payroll_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payslips")),
        sa.UniqueConstraint("month", "enrollment_id", name="uq_payslips_month_enrollment"),
        sa.UniqueConstraint("run_id", "enrollment_id", name=op.f("uq_payslips_run_id")),
    )
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payslips_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payslips_run_id"), ["run_id"], unique=False)
    op.create_table(
        "run_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("excluded_reason", sa.Text(), nullable=True),
        sa.Column("excluded_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_run_exceptions_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["payroll_runs.id"], name=op.f("fk_run_exceptions_run_id_payroll_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_exceptions")),
        sa.UniqueConstraint("run_id", "enrollment_id", name=op.f("uq_run_exceptions_run_id")),
    )
    with op.batch_alter_table("run_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_exceptions_run_id"), ["run_id"], unique=False)
    op.create_table(
        "payslip_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payslip_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref_month", sa.String(length=7), nullable=True),
        sa.ForeignKeyConstraint(
            ["payslip_id"], ["payslips.id"], name=op.f("fk_payslip_lines_payslip_id_payslips")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payslip_lines")),
        sa.UniqueConstraint(
            "payslip_id", "kind", "position", name=op.f("uq_payslip_lines_payslip_id")
        ),
    )
    with op.batch_alter_table("payslip_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payslip_lines_payslip_id"), ["payslip_id"], unique=False
        )
    create_freeze_triggers()


def downgrade() -> None:
    drop_freeze_triggers()
    with op.batch_alter_table("payslip_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payslip_lines_payslip_id"))
    op.drop_table("payslip_lines")
    with op.batch_alter_table("run_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_exceptions_run_id"))
    op.drop_table("run_exceptions")
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payslips_run_id"))
        batch_op.drop_index(batch_op.f("ix_payslips_enrollment_id"))
    op.drop_table("payslips")
    with op.batch_alter_table("attendance_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_corrections_enrollment_id"))
    op.drop_table("attendance_corrections")
    with op.batch_alter_table("payroll_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payroll_runs_month"))
    op.drop_table("payroll_runs")


# --- finalized means frozen: the database refuses changes, not only the CLI ----------

_RUN_FINALIZED = "(SELECT state FROM payroll_runs WHERE id = {run}) = 'finalized'"
_LINE_FINALIZED = (
    "(SELECT r.state FROM payroll_runs r JOIN payslips p ON p.run_id = r.id"
    " WHERE p.id = {payslip}) = 'finalized'"
)
_DAY_FINALIZED = (
    "EXISTS (SELECT 1 FROM payroll_runs r"
    " JOIN enrollments e ON e.program_code = r.program_code"
    " JOIN participants p ON p.id = e.participant_pk AND p.district_code = r.district_code"
    " WHERE e.id = {enrollment} AND r.month = {month} AND r.state = 'finalized')"
)

# (trigger name, table, event, row, condition, message)
_GUARDS = [
    (
        "runs_frozen_update",
        "payroll_runs",
        "UPDATE",
        "OLD",
        "OLD.state = 'finalized'",
        "a finalized payroll run never changes",
    ),
    (
        "runs_frozen_delete",
        "payroll_runs",
        "DELETE",
        "OLD",
        "OLD.state = 'finalized'",
        "a finalized payroll run never changes",
    ),
    (
        "payslips_frozen_insert",
        "payslips",
        "INSERT",
        "NEW",
        _RUN_FINALIZED.format(run="NEW.run_id"),
        "payslips of a finalized payroll run never change",
    ),
    (
        "payslips_frozen_update",
        "payslips",
        "UPDATE",
        "OLD",
        _RUN_FINALIZED.format(run="OLD.run_id"),
        "payslips of a finalized payroll run never change",
    ),
    (
        "payslips_frozen_delete",
        "payslips",
        "DELETE",
        "OLD",
        _RUN_FINALIZED.format(run="OLD.run_id"),
        "payslips of a finalized payroll run never change",
    ),
    (
        "lines_frozen_insert",
        "payslip_lines",
        "INSERT",
        "NEW",
        _LINE_FINALIZED.format(payslip="NEW.payslip_id"),
        "payslips of a finalized payroll run never change",
    ),
    (
        "lines_frozen_update",
        "payslip_lines",
        "UPDATE",
        "OLD",
        _LINE_FINALIZED.format(payslip="OLD.payslip_id"),
        "payslips of a finalized payroll run never change",
    ),
    (
        "lines_frozen_delete",
        "payslip_lines",
        "DELETE",
        "OLD",
        _LINE_FINALIZED.format(payslip="OLD.payslip_id"),
        "payslips of a finalized payroll run never change",
    ),
]
_ATTENDANCE_GUARDS = [
    ("attendance_frozen_insert", "INSERT", "NEW"),
    ("attendance_frozen_update", "UPDATE", "OLD"),
    ("attendance_frozen_delete", "DELETE", "OLD"),
]
_ATTENDANCE_MESSAGE = "attendance of a finalized month never changes; import it with --correction"


def _month_expr(dialect: str, row: str) -> str:
    if dialect == "postgresql":
        return f"to_char({row}.day, 'YYYY-MM')"
    return f"substr({row}.day, 1, 7)"


def _all_guards(dialect: str) -> list[tuple[str, str, str, str, str]]:
    guards = [(name, table, event, cond, msg) for name, table, event, _row, cond, msg in _GUARDS]
    for name, event, row in _ATTENDANCE_GUARDS:
        cond = _DAY_FINALIZED.format(
            enrollment=f"{row}.enrollment_id", month=_month_expr(dialect, row)
        )
        guards.append((name, "attendance", event, cond, _ATTENDANCE_MESSAGE))
    return guards


def create_freeze_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, event, cond, msg in _all_guards(dialect):
        if dialect == "postgresql":
            ret = "OLD" if event == "DELETE" else "NEW"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF {cond} THEN RAISE EXCEPTION '{msg}' USING ERRCODE = 'check_violation'; "
                f"END IF; RETURN {ret}; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                f"WHEN {cond} BEGIN SELECT RAISE(ABORT, '{msg}'); END"
            )


def drop_freeze_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, _event, _cond, _msg in _all_guards(dialect):
        op.execute(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if dialect == "postgresql" else "")
        )
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")

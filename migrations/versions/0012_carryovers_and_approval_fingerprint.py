"""carried-over pay (held, returned, recovered) and the approval fingerprint

Revision ID: 0012
Revises: 0015

``pay_carryovers`` keeps a won amount that belongs to one month of an enrollment but is
paid (or recovered) in a later run: a held month (지급 보류), a transfer the bank returned
(반환), an overpayment to recover (환수). ``settled`` adds up what finalized runs paid or
recovered of it; a manager may write the rest off with a reason. ``payroll_runs`` gains
the fingerprint of the figures and payees a manager approved, and the note naming the
change that returned an approved run to 계산됨.

An early end (§14) may now reach back into a finalized month (the overpayment becomes a
recovery): the enrollments guard of 0005 lets ``end`` move under a finalized month when
the row records an early end (``planned_end`` set); everything else it guarded stays.
"""

from __future__ import annotations

from types import ModuleType

import sqlalchemy as sa
from alembic import op

from payroll.db.earlier_revision import earlier_revision

revision = "0012"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_carryovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("source_run_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref_month", sa.String(length=7), nullable=False),
        sa.Column("taxable", sa.BigInteger(), nullable=False),
        sa.Column("non_taxable", sa.BigInteger(), nullable=False),
        sa.Column("settled", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=100), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("written_off_by", sa.String(length=100), nullable=True),
        sa.Column("written_off_reason", sa.Text(), nullable=True),
        sa.Column("written_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_pay_carryovers_enrollment_id_enrollments"),
        ),
        sa.ForeignKeyConstraint(
            ["source_run_id"],
            ["payroll_runs.id"],
            name=op.f("fk_pay_carryovers_source_run_id_payroll_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_carryovers")),
    )
    op.create_index(op.f("ix_pay_carryovers_enrollment_id"), "pay_carryovers", ["enrollment_id"])
    _replace_enrollment_guard(early_end_allowed=True)
    # plain ALTER TABLE: a batch rebuild would drop the frozen-run triggers on SQLite
    op.add_column("payroll_runs", sa.Column("approved_fingerprint", sa.String(length=64)))
    op.add_column("payroll_runs", sa.Column("reopened_note", sa.Text()))


def downgrade() -> None:
    _replace_enrollment_guard(early_end_allowed=False)
    op.drop_column("payroll_runs", "reopened_note")
    op.drop_column("payroll_runs", "approved_fingerprint")
    op.drop_index(op.f("ix_pay_carryovers_enrollment_id"), table_name="pay_carryovers")
    op.drop_table("pay_carryovers")


GUARD = "enrollments_frozen_update"


def _revision_0005() -> ModuleType:
    """The 0005 migration module (its row guards and messages)."""
    return earlier_revision(__file__, "0005_frozen_runs_payee_snapshot_rrn_key.py")


def _replace_enrollment_guard(early_end_allowed: bool) -> None:
    """Recreate 0005's enrollments update guard, with or without the early-end allowance."""
    pg = op.get_bind().dialect.name == "postgresql"
    m = _revision_0005()
    sql = m._Sql("postgresql" if pg else "sqlite")
    [(name, table, event, cond, msg)] = [g for g in m._guards(sql) if g[0] == GUARD]
    if early_end_allowed:
        moved_end = m._moved(sql, "end")
        assert moved_end in cond
        cond = cond.replace(moved_end, f"({moved_end} AND NEW.planned_end IS NULL)")
    m._drop(name, table, pg)
    m._create(name, table, event, cond, msg, pg)

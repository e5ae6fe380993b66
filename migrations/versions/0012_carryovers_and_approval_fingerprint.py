"""carried-over pay (held, returned, recovered) and the approval fingerprint

Revision ID: 0012
Revises: 0009

``pay_carryovers`` keeps a won amount that belongs to one month of an enrollment but is
paid (or recovered) in a later run: a held month (지급 보류), a transfer the bank returned
(반환), an overpayment to recover (환수). ``settled`` adds up what finalized runs paid or
recovered of it; a manager may write the rest off with a reason. ``payroll_runs`` gains
the fingerprint of the figures and payees a manager approved, and the note naming the
change that returned an approved run to 계산됨.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0009"
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
    # plain ALTER TABLE: a batch rebuild would drop the frozen-run triggers on SQLite
    op.add_column("payroll_runs", sa.Column("approved_fingerprint", sa.String(length=64)))
    op.add_column("payroll_runs", sa.Column("reopened_note", sa.Text()))


def downgrade() -> None:
    op.drop_column("payroll_runs", "reopened_note")
    op.drop_column("payroll_runs", "approved_fingerprint")
    op.drop_index(op.f("ix_pay_carryovers_enrollment_id"), table_name="pay_carryovers")
    op.drop_table("pay_carryovers")

"""payslip delivery: participants' contacts and 수령방법; each delivery's state

Revision ID: 0015
Revises: 0013

Participants get 휴대전화 (digits), 이메일 and 수령방법 (``paper`` for everyone stored: the
print bundle, as before). ``payslip_deliveries`` holds one row per payslip and channel
(e-mail or 알림톡): where it went, its state and the reason it failed.
``participant_sign_in_codes`` holds the one-time code last sent to a participant signing
in to their own page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): SQLite's triggers on other tables name participants.
    op.add_column("participants", sa.Column("phone", sa.String(length=11), nullable=True))
    op.add_column("participants", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column(
        "participants",
        sa.Column("delivery", sa.String(length=10), server_default="paper", nullable=False),
    )
    op.create_table(
        "payslip_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("payslip_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payslip_id"], ["payslips.id"], name=op.f("fk_payslip_deliveries_payslip_id_payslips")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["payroll_runs.id"], name=op.f("fk_payslip_deliveries_run_id_payroll_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payslip_deliveries")),
        sa.UniqueConstraint("payslip_id", "channel", name=op.f("uq_payslip_deliveries_payslip_id")),
    )
    op.create_index(
        op.f("ix_payslip_deliveries_run_id"), "payslip_deliveries", ["run_id"], unique=False
    )

    op.create_table(
        "participant_sign_in_codes",
        sa.Column("participant_id", sa.String(length=40), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_participant_sign_in_codes")),
    )


def downgrade() -> None:
    op.drop_table("participant_sign_in_codes")
    op.drop_index(op.f("ix_payslip_deliveries_run_id"), table_name="payslip_deliveries")
    op.drop_table("payslip_deliveries")
    op.drop_column("participants", "delivery")
    op.drop_column("participants", "email")
    op.drop_column("participants", "phone")

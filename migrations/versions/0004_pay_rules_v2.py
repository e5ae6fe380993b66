"""pay rules v2: tax years, child reductions, children, declared monthly pay, 산재 0.96 %

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

V1_ACCIDENT_RATE = "0.0147"  # the national average v1 shipped
V2_ACCIDENT_RATE = "0.0096"  # 국가 및 지방자치단체의 사업 0.9 % + 출퇴근재해 0.06 %


def upgrade() -> None:
    op.create_table(
        "tax_years",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("meal_allowance_cap", sa.BigInteger(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_tax_years")),
    )
    op.create_table(
        "child_reductions",
        sa.Column("pay_date_from", sa.Date(), nullable=False),
        sa.Column("one_child", sa.BigInteger(), nullable=False),
        sa.Column("two_children", sa.BigInteger(), nullable=False),
        sa.Column("each_further", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pay_date_from", name=op.f("pk_child_reductions")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("children", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declared_monthly_pay", sa.BigInteger(), nullable=True))
    # The v1 catalog's national-average accident rate becomes the local-government rate
    # for 2024–2026; a rate an administrator changed is kept.
    rate = sa.Numeric(12, 6)
    op.execute(
        sa.text(
            "UPDATE program_years SET industrial_accident_rate = :new "
            "WHERE industrial_accident_rate = :old AND year BETWEEN 2024 AND 2026"
        ).bindparams(
            sa.bindparam("new", Decimal(V2_ACCIDENT_RATE), type_=rate),
            sa.bindparam("old", Decimal(V1_ACCIDENT_RATE), type_=rate),
        )
    )


def downgrade() -> None:
    op.drop_column("enrollments", "declared_monthly_pay")
    op.drop_column("participants", "children")
    op.drop_table("child_reductions")
    op.drop_table("tax_years")

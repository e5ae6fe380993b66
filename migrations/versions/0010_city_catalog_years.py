"""city catalog: partly known insurance years, dated withholding tables, edited limits

Revision ID: 0010
Revises: 0009

* ``insurance_rates``: each rate may be missing (a year whose long-term-care rate is not
  published yet); a month of that year is refused until the city enters it.
* ``withholding_tables.effective_from``: the table's 시행일; a month uses the table in
  force on its pay date. Tables imported before keep no date (in force from the start).
* ``limit_rules.edited``: the city changed the rule; ``payroll init`` leaves it alone.
* ``recalculation_marks``: unfinalized runs whose figures a catalog change touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RATES = (
    "national_pension",
    "health_insurance",
    "long_term_care_share",
    "employment_insurance",
    "job_stability",
)


def upgrade() -> None:
    with op.batch_alter_table("insurance_rates") as batch:
        for name in RATES:
            batch.alter_column(name, existing_type=sa.Numeric(precision=12, scale=6), nullable=True)
    op.add_column("withholding_tables", sa.Column("effective_from", sa.Date(), nullable=True))
    op.add_column(
        "limit_rules",
        sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "recalculation_marks",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["payroll_runs.id"],
            name=op.f("fk_recalculation_marks_run_id_payroll_runs"),
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_recalculation_marks")),
    )


def downgrade() -> None:
    op.drop_table("recalculation_marks")
    op.drop_column("limit_rules", "edited")
    op.drop_column("withholding_tables", "effective_from")
    # The old schema cannot hold a year whose rates are only partly entered: drop those.
    missing = " OR ".join(f"{name} IS NULL" for name in RATES)
    op.execute(f"DELETE FROM insurance_rates WHERE {missing}")
    with op.batch_alter_table("insurance_rates") as batch:
        for name in RATES:
            batch.alter_column(
                name, existing_type=sa.Numeric(precision=12, scale=6), nullable=False
            )

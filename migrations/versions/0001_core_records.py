"""core records

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
    op.create_table(
        "districts",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_districts")),
        sa.UniqueConstraint("name", name=op.f("uq_districts_name")),
    )
    op.create_table(
        "holiday_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holiday_overrides")),
    )
    op.create_table(
        "hourly_rates",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("won", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("source", "year", name=op.f("pk_hourly_rates")),
    )
    op.create_table(
        "insurance_rates",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("national_pension", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("health_insurance", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("long_term_care_share", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("employment_insurance", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("job_stability", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_insurance_rates")),
    )
    op.create_table(
        "limit_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("programs", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_limit_rules")),
    )
    op.create_table(
        "pension_bounds",
        sa.Column("from_month", sa.String(length=7), nullable=False),
        sa.Column("to_month", sa.String(length=7), nullable=False),
        sa.Column("floor", sa.BigInteger(), nullable=False),
        sa.Column("ceiling", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("from_month", name=op.f("pk_pension_bounds")),
    )
    op.create_table(
        "programs",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("pay_basis", sa.String(length=10), nullable=False),
        sa.Column("rate_source", sa.String(length=20), nullable=False),
        sa.Column("daily_hours", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("weekdays", sa.String(length=40), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_programs")),
    )
    op.create_table(
        "withholding_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withholding_tables")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("household", sa.String(length=60), nullable=True),
        sa.Column("district_code", sa.String(length=10), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=True),
        sa.Column("account", sa.String(length=60), nullable=True),
        sa.Column("dependents", sa.Integer(), nullable=False),
        sa.Column("rrn_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("rrn_masked", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_participants_district_code_districts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_participants_participant_id")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participants_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participants_household"), ["household"], unique=False)
    op.create_table(
        "program_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_code", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("daily_expense_allowance", sa.BigInteger(), nullable=False),
        sa.Column("city_ratio", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("industrial_accident_rate", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_code"], ["programs.code"], name=op.f("fk_program_years_program_code_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_years")),
        sa.UniqueConstraint("program_code", "year", name=op.f("uq_program_years_program_code")),
    )
    op.create_table(
        "terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_code", sa.String(length=30), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_code"], ["programs.code"], name=op.f("fk_terms_program_code_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
        sa.UniqueConstraint("program_code", "code", name=op.f("uq_terms_program_code")),
    )
    op.create_table(
        "enrollments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_pk", sa.Integer(), nullable=False),
        sa.Column("program_code", sa.String(length=30), nullable=False),
        sa.Column("term_code", sa.String(length=20), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("daily_hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("weekdays", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("pay_cut_percent", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_by", sa.String(length=100), nullable=True),
        sa.Column("override_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_rules", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_pk"],
            ["participants.id"],
            name=op.f("fk_enrollments_participant_pk_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["program_code"], ["programs.code"], name=op.f("fk_enrollments_program_code_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
        sa.UniqueConstraint(
            "participant_pk", "program_code", "start", name=op.f("uq_enrollments_participant_pk")
        ),
    )
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollments_participant_pk"), ["participant_pk"], unique=False
        )
    op.create_table(
        "attendance",
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
            name=op.f("fk_attendance_enrollment_id_enrollments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("enrollment_id", "day", name=op.f("uq_attendance_enrollment_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_enrollment_id"), ["enrollment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_enrollment_id"))
    op.drop_table("attendance")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollments_participant_pk"))
    op.drop_table("enrollments")
    op.drop_table("terms")
    op.drop_table("program_years")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_household"))
        batch_op.drop_index(batch_op.f("ix_participants_district_code"))
    op.drop_table("participants")
    op.drop_table("withholding_tables")
    op.drop_table("programs")
    op.drop_table("pension_bounds")
    op.drop_table("limit_rules")
    op.drop_table("insurance_rates")
    op.drop_table("hourly_rates")
    op.drop_table("holiday_overrides")
    op.drop_table("districts")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")

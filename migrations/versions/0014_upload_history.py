"""upload history: every file uploaded in the console, with its result

Revision ID: 0014
Revises: 0012

Who uploaded which file when, how many data rows it had and what came of it (the summary
or the first errors). The original of an attendance or history file is kept for the
uploader's districts; a roster's is not (it may hold resident numbers in the clear).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("districts", sa.String(length=400), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_history")),
    )
    op.create_index(
        op.f("ix_upload_history_uploaded_at"), "upload_history", ["uploaded_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_upload_history_uploaded_at"), table_name="upload_history")
    op.drop_table("upload_history")

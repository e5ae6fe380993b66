"""enrollment early end (중도 종료): reason, note, who, when and the planned end

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (
    ("end_reason", sa.String(length=20)),
    ("end_note", sa.Text()),
    ("ended_by", sa.String(length=100)),
    ("ended_at", sa.DateTime(timezone=True)),
    ("planned_end", sa.Date()),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite): nullable columns, existing rows NULL.
    for name, kind in COLUMNS:
        op.add_column("enrollments", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would break the triggers of 0002
    # that name the enrollments table.
    for name, _kind in reversed(COLUMNS):
        op.drop_column("enrollments", name)

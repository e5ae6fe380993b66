"""console sessions: a session version per user, so the server can end sessions

Revision ID: 0013
Revises: 0011

A console session cookie carries the user's ``session_version`` from the moment of login;
logging out, changing or resetting the password and disabling the account add one to it,
and a cookie with an older version is refused on its next request.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")

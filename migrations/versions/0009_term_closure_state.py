"""terms: closure as state (closed_at, closed_by), carried over from the audit log

Revision ID: 0009
Revises: 0005

A term was closed only as a ``term.closed`` audit entry (entity ``term``, id
``program:code``). The term row now says so itself; the earliest such entry of each term
gives its ``closed_at`` and ``closed_by``. The audit entries stay as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite): nullable, every term open at first.
    op.add_column("terms", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("terms", sa.Column("closed_by", sa.String(length=100), nullable=True))
    conn = op.get_bind()
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
    )
    terms = sa.table(
        "terms",
        sa.column("program_code", sa.String),
        sa.column("code", sa.String),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("closed_by", sa.String),
    )
    closures = conn.execute(
        sa.select(audit.c.entity_id, audit.c.at, audit.c.actor)
        .where(audit.c.action == "term.closed", audit.c.entity == "term")
        .order_by(audit.c.at, audit.c.id)
    ).all()
    done: set[str] = set()
    for key, at, actor in closures:
        if key in done or ":" not in key:
            continue
        done.add(key)
        program, code = key.split(":", 1)
        conn.execute(
            sa.update(terms)
            .where(terms.c.program_code == program, terms.c.code == code)
            .values(closed_at=at, closed_by=(actor or "")[:100])
        )


def downgrade() -> None:
    # The audit log keeps every closure: dropping the columns loses nothing.
    op.drop_column("terms", "closed_by")
    op.drop_column("terms", "closed_at")

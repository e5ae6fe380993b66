"""term closures: a closed term as state, carried over from the audit log

Revision ID: 0009
Revises: 0005

A term was closed only as a ``term.closed`` audit entry (entity ``term``, id
``program:code``). Now a ``term_closures`` row says so (who, when); the earliest such
entry of each stored term gives it. The audit entries stay as they are. A table of its own
leaves the ``terms`` table as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "term_closures",
        sa.Column("program_code", sa.String(length=30), nullable=False),
        sa.Column("term_code", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_code", "term_code"],
            ["terms.program_code", "terms.code"],
            name=op.f("fk_term_closures_program_code_terms"),
        ),
        sa.PrimaryKeyConstraint("program_code", "term_code", name=op.f("pk_term_closures")),
    )
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
    terms = sa.table("terms", sa.column("program_code", sa.String), sa.column("code", sa.String))
    closures = sa.table(
        "term_closures",
        sa.column("program_code", sa.String),
        sa.column("term_code", sa.String),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("closed_by", sa.String),
    )
    stored = {tuple(t) for t in conn.execute(sa.select(terms.c.program_code, terms.c.code))}
    entries = conn.execute(
        sa.select(audit.c.entity_id, audit.c.at, audit.c.actor)
        .where(audit.c.action == "term.closed", audit.c.entity == "term")
        .order_by(audit.c.at, audit.c.id)
    ).all()
    done: set[tuple[str, str]] = set()
    for key, at, actor in entries:
        program, _, code = key.partition(":")
        if (program, code) in done or (program, code) not in stored:
            continue
        done.add((program, code))
        conn.execute(
            sa.insert(closures).values(
                program_code=program, term_code=code, closed_at=at, closed_by=actor[:100]
            )
        )


def downgrade() -> None:
    # The audit log keeps every closure: dropping the table loses nothing.
    op.drop_table("term_closures")

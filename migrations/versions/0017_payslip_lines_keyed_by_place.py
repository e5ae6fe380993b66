"""payslip lines keyed by their place on the payslip; the surrogate id dropped

Revision ID: 0017
Revises: 0016

A payslip line is identified by its payslip, its kind and its position, and the unique
constraint ``(payslip_id, kind, position)`` already said so; the ``id`` column beside it
was never read, yet every one of the month's ~209,000 lines drew it from a sequence and
kept a second index up to date. The unique constraint becomes the primary key.

SQLite cannot change a table's primary key in place: the table is rebuilt and its three
row guards of 0005 are created again on it.
"""

from __future__ import annotations

from types import ModuleType

import sqlalchemy as sa
from alembic import op

from payroll.db.earlier_revision import earlier_revision

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = "payslip_id, kind, code, amount, explanation, position, ref_month"
PLACE = ("payslip_id", "kind", "position")


def _revision_0005() -> ModuleType:
    """The 0005 migration module (its row guards and messages)."""
    return earlier_revision(__file__, "0005_frozen_runs_payee_snapshot_rrn_key.py")


def _sqlite_rebuild(with_id: bool) -> None:
    """Rebuild ``payslip_lines`` on SQLite keyed by its place (or by ``id`` again)."""
    key: list[sa.SchemaItem]
    if with_id:
        key = [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_payslip_lines"),
            sa.UniqueConstraint(*PLACE, name="uq_payslip_lines_payslip_id"),
        ]
    else:
        key = [sa.PrimaryKeyConstraint(*PLACE, name="pk_payslip_lines")]
    op.create_table(
        "payslip_lines_0017",
        *[item for item in key if isinstance(item, sa.Column)],
        sa.Column("payslip_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref_month", sa.String(length=7), nullable=True),
        sa.ForeignKeyConstraint(
            ["payslip_id"], ["payslips.id"], name="fk_payslip_lines_payslip_id_payslips"
        ),
        *[item for item in key if not isinstance(item, sa.Column)],
    )
    op.execute(f"INSERT INTO payslip_lines_0017 ({COLUMNS}) SELECT {COLUMNS} FROM payslip_lines")
    op.execute("DROP TABLE payslip_lines")  # its row guards go with it
    op.execute("ALTER TABLE payslip_lines_0017 RENAME TO payslip_lines")
    old = _revision_0005()
    for name, table, event, cond, msg in old._guards(old._Sql("sqlite")):
        if table == "payslip_lines":
            old._create(name, table, event, cond, msg, False)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _sqlite_rebuild(with_id=False)
        return
    op.drop_constraint("pk_payslip_lines", "payslip_lines", type_="primary")
    op.drop_column("payslip_lines", "id")  # and its sequence
    op.drop_constraint("uq_payslip_lines_payslip_id", "payslip_lines", type_="unique")
    op.create_primary_key("pk_payslip_lines", "payslip_lines", list(PLACE))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _sqlite_rebuild(with_id=True)
        return
    op.drop_constraint("pk_payslip_lines", "payslip_lines", type_="primary")
    op.execute("ALTER TABLE payslip_lines ADD COLUMN id SERIAL NOT NULL")
    op.create_primary_key("pk_payslip_lines", "payslip_lines", ["id"])
    op.create_unique_constraint("uq_payslip_lines_payslip_id", "payslip_lines", list(PLACE))

"""participants: bank code and account holder; accounts as digits

Revision ID: 0008
Revises: 0003

Stored bank names are resolved through the shipped bank table (a name it does not know
keeps a NULL code, which a payroll run reports as an exception); stored account numbers
keep their digits only.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): SQLite's triggers on other tables name participants.
    op.add_column("participants", sa.Column("bank_code", sa.String(length=3), nullable=True))
    op.add_column("participants", sa.Column("account_holder", sa.String(length=100), nullable=True))
    from payroll.reference.banks import BankError, find_bank

    conn = op.get_bind()
    table = sa.table(
        "participants",
        sa.column("id", sa.Integer),
        sa.column("bank", sa.String),
        sa.column("account", sa.String),
        sa.column("bank_code", sa.String),
    )
    rows = conn.execute(
        sa.select(table.c.id, table.c.bank, table.c.account).where(
            sa.or_(table.c.bank.is_not(None), table.c.account.is_not(None))
        )
    ).all()
    for pk, bank, account in rows:
        values: dict[str, str | None] = {}
        if bank:
            try:
                found = find_bank(bank)
                values.update(bank_code=found.code, bank=found.name)
            except BankError:
                pass
        if account:
            values["account"] = re.sub(r"\D", "", account) or None
        if values:
            conn.execute(sa.update(table).where(table.c.id == pk).values(**values))


def downgrade() -> None:
    op.drop_column("participants", "account_holder")
    op.drop_column("participants", "bank_code")

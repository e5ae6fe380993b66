"""one person across the districts: person key, participant IDs per district

Revision ID: 0011
Revises: 0010

- ``participants.person_key``: HMAC-SHA-256 of the resident number under
  ``PAYROLL_PERSON_KEY`` (see ``payroll.privacy.person_key``). Computed here for every
  stored participant with a number when both ``PAYROLL_RRN_KEY`` (to open the numbers) and
  ``PAYROLL_PERSON_KEY`` are set; otherwise left empty, and ``payroll init`` says what to
  do (set the key, run ``payroll rrn person-keys``).
- A participant ID is unique within its district, no longer across the city; a person
  (person key) holds at most one participant ID per district.
- ``enrollments.district_code``: the district where a history enrollment was taken, when
  it was not the participant's.

SQLite cannot drop the unique constraint of ``participant_id`` in place: the table is
rebuilt with foreign-key checks deferred (the rows go back after the rename so that no
enrollment is ever left pointing nowhere), and the 0005 row guards on ``participants``,
dropped with the old table, are created again.
"""

from __future__ import annotations

import os
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from payroll.db.earlier_revision import earlier_revision

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = (
    "id",
    "participant_id",
    "name",
    "birth_date",
    "household",
    "district_code",
    "bank",
    "account",
    "dependents",
    "rrn_encrypted",
    "rrn_masked",
    "created_at",
    "children",
    "bank_code",
    "account_holder",
)


def _participants_table(name: str, per_district: bool) -> None:
    """The participants table under ``name``: with the person key and per-district IDs,
    or (``per_district=False``) as before this revision."""
    unique = (
        [
            sa.UniqueConstraint(
                "district_code", "participant_id", name="uq_participants_district_participant_id"
            ),
            sa.UniqueConstraint(
                "district_code", "person_key", name="uq_participants_district_person"
            ),
        ]
        if per_district
        else [sa.UniqueConstraint("participant_id", name="uq_participants_participant_id")]
    )
    extra = [sa.Column("person_key", sa.String(length=64), nullable=True)] if per_district else []
    op.create_table(
        name,
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
        sa.Column("children", sa.Integer(), server_default="0", nullable=False),
        sa.Column("bank_code", sa.String(length=3), nullable=True),
        sa.Column("account_holder", sa.String(length=100), nullable=True),
        *extra,
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name="fk_participants_district_code_districts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        *unique,
    )


def _revision_0005() -> ModuleType:
    """The 0005 migration module (its row guards and messages)."""
    return earlier_revision(__file__, "0005_frozen_runs_payee_snapshot_rrn_key.py")


def _rebuild_sqlite(per_district: bool) -> None:
    """Rebuild ``participants`` (SQLite): copy out, replace, put the rows back."""
    columns = ", ".join(COLUMNS)
    # The driver opens a transaction only before data statements, and the pragma lasts
    # only to the end of one: a statement that changes nothing opens it first.
    op.execute("UPDATE alembic_version SET version_num = version_num WHERE 1 = 0")
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("PRAGMA legacy_alter_table = ON")  # leave the other tables' triggers as they are
    op.execute(f"CREATE TABLE participants_0011 AS SELECT {columns} FROM participants")
    _participants_table("participants_new", per_district)
    op.drop_table("participants")
    op.rename_table("participants_new", "participants")
    op.execute(f"INSERT INTO participants ({columns}) SELECT {columns} FROM participants_0011")
    op.drop_table("participants_0011")
    op.execute("PRAGMA legacy_alter_table = OFF")
    _indexes(per_district)
    old = _revision_0005()
    for name, table, event, cond, msg in old._guards(old._Sql("sqlite")):
        if table == "participants":
            old._create(name, table, event, cond, msg, False)


def _indexes(per_district: bool) -> None:
    op.create_index("ix_participants_district_code", "participants", ["district_code"])
    op.create_index("ix_participants_household", "participants", ["household"])
    if per_district:
        op.create_index("ix_participants_person_key", "participants", ["person_key"])


def _fill_person_keys() -> None:
    """Person keys of the stored numbers, when both keys are configured."""
    if not (os.environ.get("PAYROLL_PERSON_KEY") and os.environ.get("PAYROLL_RRN_KEY")):
        return
    from payroll.privacy import person_key, rrn

    key = person_key.configured_key()
    conn = op.get_bind()
    table = sa.table(
        "participants",
        sa.column("id", sa.Integer),
        sa.column("rrn_encrypted", sa.LargeBinary),
        sa.column("person_key", sa.String),
    )
    rows = conn.execute(
        sa.select(table.c.id, table.c.rrn_encrypted).where(table.c.rrn_encrypted.is_not(None))
    ).all()
    for pk, token in rows:
        value = person_key.person_key(rrn.decrypt(token), key)
        conn.execute(table.update().where(table.c.id == pk).values(person_key=value))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(per_district=True)
    else:
        op.drop_constraint("uq_participants_participant_id", "participants", type_="unique")
        op.add_column("participants", sa.Column("person_key", sa.String(length=64)))
        op.create_unique_constraint(
            "uq_participants_district_participant_id",
            "participants",
            ["district_code", "participant_id"],
        )
        op.create_unique_constraint(
            "uq_participants_district_person", "participants", ["district_code", "person_key"]
        )
        op.create_index("ix_participants_person_key", "participants", ["person_key"])
    op.add_column("enrollments", sa.Column("district_code", sa.String(length=10), nullable=True))
    _fill_person_keys()


def downgrade() -> None:
    op.drop_column("enrollments", "district_code")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(per_district=False)
    else:
        op.drop_index("ix_participants_person_key", table_name="participants")
        op.drop_constraint("uq_participants_district_person", "participants", type_="unique")
        op.drop_constraint(
            "uq_participants_district_participant_id", "participants", type_="unique"
        )
        op.drop_column("participants", "person_key")
        op.create_unique_constraint(
            "uq_participants_participant_id", "participants", ["participant_id"]
        )

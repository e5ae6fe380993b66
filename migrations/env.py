"""Alembic environment: the URL comes from the caller or from PAYROLL_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from payroll.config.settings import database_url
from payroll.db.engine import make_engine
from payroll.db.models import Base

config = context.config
target_metadata = Base.metadata

# On PostgreSQL a payslip line's reference to its payslip is checked once per statement by
# the guards of migration 0018, not by the models' foreign key (SQLite keeps that key).
CHECKED_BY_GUARDS = {("postgresql", "fk_payslip_lines_payslip_id_payslips")}


def _url() -> str:
    return (
        config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or database_url()
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _compared(dialect: str):  # type: ignore[no-untyped-def]
    """Which schema objects ``alembic check`` compares with the models on ``dialect``."""

    def include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        return not (type_ == "foreign_key_constraint" and (dialect, name) in CHECKED_BY_GUARDS)

    return include


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_compared(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Database fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``PAYROLL_TEST_PG_URL`` (a server URL whose user may create
databases) or from a throwaway server the session starts itself. Each test gets a fresh
database cloned from a migrated template, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from payroll.db import migrate
from payroll.db.catalog_store import load_catalog
from payroll.db.engine import make_engine, transaction
from payroll.db.uow import SqlUnitOfWork
from payroll.reference.catalog import shipped_catalog_data
from tests.support.pg_server import ThrowawayPostgres

BACKENDS = ("sqlite", "postgresql")
_counter = itertools.count()


def _prepare(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        load_catalog(session, shipped_catalog_data())
    engine.dispose()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    given = os.environ.get("PAYROLL_TEST_PG_URL")
    if given:
        yield given
        return
    server = ThrowawayPostgres()
    try:
        yield server.start()
    finally:
        server.stop()


def _admin(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    name = f"payroll_tpl_{os.getpid()}"
    admin = _admin(pg_admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    _prepare(url)
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    _prepare(f"sqlite:///{path}")
    return path


def new_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database with the shipped catalog, on ``backend``."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"payroll-{next(_counter)}.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    admin_url: str = request.getfixturevalue("pg_admin_url")
    template_name: str = request.getfixturevalue("pg_template")
    name = f"payroll_t{os.getpid()}_{next(_counter)}"
    admin = _admin(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def new_empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database with no tables at all."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'empty-{next(_counter)}.db'}"
    admin_url: str = request.getfixturevalue("pg_admin_url")
    name = f"payroll_e{os.getpid()}_{next(_counter)}"
    admin = _admin(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


PERSON_KEY = "test-person-key-of-the-city-0123456789"  # PAYROLL_PERSON_KEY in tests
RRN_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU="


@pytest.fixture(autouse=True)
def _number_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The resident-number keys every enrollment needs (#22); a test about a missing key
    removes it with ``monkeypatch.delenv``."""
    if not os.environ.get("PAYROLL_RRN_KEY"):
        monkeypatch.setenv("PAYROLL_RRN_KEY", RRN_KEY)
    if not os.environ.get("PAYROLL_PERSON_KEY"):
        monkeypatch.setenv("PAYROLL_PERSON_KEY", PERSON_KEY)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh migrated database holding the shipped catalog (both backends)."""
    return new_database_url(backend, request, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    """A unit of work on the test database (both backends)."""
    return SqlUnitOfWork(engine)


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the ``payroll`` CLI at the test database, with an RRN key and output dir."""
    monkeypatch.setenv("PAYROLL_DATABASE_URL", db_url)
    monkeypatch.setenv("PAYROLL_RRN_KEY", "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU=")
    monkeypatch.setenv("PAYROLL_PERSON_KEY", PERSON_KEY)
    monkeypatch.setenv("PAYROLL_OUTPUT_DIR", str(tmp_path / "out"))
    return db_url


@pytest.fixture(autouse=True)
def _kept_files_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Files the app keeps by itself (the console's month ledgers) go to the test's folder."""
    if not os.environ.get("PAYROLL_OUTPUT_DIR"):
        monkeypatch.setenv("PAYROLL_OUTPUT_DIR", str(tmp_path / "out"))

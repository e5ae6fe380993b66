"""The composition root: the one place the three entrypoints get their parts from.

The CLI (``cli/common.open_root``), the scheduler (``scheduler.service.run``,
``scheduler.execution.execute``) and the web console (``web.app.create_app``) each build
or receive one :class:`Root`: the settings read from the environment once, the database
engine, the unit-of-work factory the services are given, and the clock. A
``SqlUnitOfWork`` is constructed here and nowhere else in ``payroll/`` (the architecture
test checks it); tests may still build one directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from payroll.config import settings as config
from payroll.db.engine import make_engine
from payroll.db.uow import SqlUnitOfWork, uow_factory


@dataclass(frozen=True)
class Settings:
    """What the entrypoints read from the environment (``payroll.config.settings``)."""

    database_url: str
    output_dir: Path
    public_url: str

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(config.database_url(), config.output_dir(), config.public_url())


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Root:
    """An entrypoint's parts: settings, engine, unit-of-work factory, clock."""

    engine: Engine
    settings: Settings = field(default_factory=Settings.from_environment)
    clock: Callable[[], datetime] = _now

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work on the database, to hand to a service."""
        return SqlUnitOfWork(self.engine)

    def worker_uow(self) -> Callable[[], SqlUnitOfWork]:
        """A picklable maker of units of work for worker processes (each its own engine)."""
        return uow_factory(self.engine)

    def calculation_workers(self) -> int:
        """How many processes calculate a month's runs (``PAYROLL_WORKERS``; ValueError
        in Korean when it is not a whole number ≥ 1)."""
        return config.calculation_workers(str(self.engine.url))

    def today(self) -> date:
        """Today's date on the local clock (what ``date.today()`` would say)."""
        return self.clock().astimezone().date()

    def close(self) -> None:
        """Release the engine's connections (a command's last step)."""
        self.engine.dispose()


def build(url: str | None = None) -> Root:
    """The root for ``url`` (default: ``PAYROLL_DATABASE_URL`` or the embedded SQLite)."""
    current = Settings.from_environment()
    if url is not None and url != current.database_url:
        current = Settings(url, current.output_dir, current.public_url)
    return Root(make_engine(current.database_url), current)


def root_of(source: Root | Engine) -> Root:
    """``source`` itself, or a root around an engine a caller (a test) already made."""
    return source if isinstance(source, Root) else Root(source)

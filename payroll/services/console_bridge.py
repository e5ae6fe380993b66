"""Transition only: the engine or session under a unit of work, for the services of other
areas the console calls that do not take a unit of work yet.

Each use is one call line (``runs.approve_run(legacy_engine(uow), …)``) that becomes
``runs.approve_run(uow, …)`` when that service is converted; remove this module then.
"""

from __future__ import annotations

from typing import Any

from payroll.services.unit_of_work import UnitOfWork


def legacy_engine(uow: UnitOfWork) -> Any:
    """The engine of a SQL unit of work."""
    return uow.engine  # type: ignore[attr-defined]


def legacy_session(uow: UnitOfWork) -> Any:
    """The open session of an entered SQL unit of work."""
    return uow.session  # type: ignore[attr-defined]

"""Who may see and press 명세서 발송: every role × own / other district (both databases).

Outcomes as in test_access.py: ``ok``; ``404`` another district's run; ``403`` the role
may never; ``refused`` allowed, but the run is not finalized (a RunError after the checks).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.common.access import Actor, Forbidden, NotFound, Role
from payroll.services.console import delivery as console_delivery
from payroll.services.runs.lifecycle import RunError, calculate_runs
from tests.support.factories import add_enrolled

OWN, OTHER = "11110", "11140"
ROLES = {
    "clerk": Actor("clerk", Role.CLERK, frozenset({OWN})),
    "manager": Actor("manager", Role.MANAGER, frozenset({OWN})),
    "finance": Actor("finance", Role.FINANCE),
    "admin": Actor("admin", Role.CITY_ADMIN),
}
EXPECTED = {
    "deliveries": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "send": {
        "clerk": ("refused", "404"),
        "manager": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
}
CALLS: dict[str, Callable[[SqlUnitOfWork, Actor, int], object]] = {
    "deliveries": console_delivery.run_deliveries,
    "send": lambda uow, who, run: console_delivery.send(uow, who, run, None, None),
}


def outcome(call: Callable[[], object]) -> str:
    try:
        call()
    except NotFound:
        return "404"
    except Forbidden:
        return "403"
    except RunError:
        return "refused"
    return "ok"


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(EXPECTED))
def test_delivery_access(engine: Engine, action: str, role: str) -> None:
    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "C-001", district=OTHER)
    runs = {r.district: r.id for r in calculate_runs(SqlUnitOfWork(engine), "2025-03")}
    who = ROLES[role]
    got = tuple(
        outcome(lambda run=runs[d]: CALLS[action](SqlUnitOfWork(engine), who, run))
        for d in (OWN, OTHER)
    )
    assert got == EXPECTED[action][role]

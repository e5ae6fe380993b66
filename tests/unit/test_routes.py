"""The console's routes: every path explicit, so no route hides another and the order in
which ``app.py`` includes the screens' routers does not matter."""

from __future__ import annotations

import importlib
import pkgutil
import re

from fastapi.routing import APIRoute

from payroll.web import routes as screens


def _routes() -> list[APIRoute]:
    """Every route of every screen module (``payroll/web/routes/``)."""
    found = []
    for info in pkgutil.iter_modules(screens.__path__):
        router = importlib.import_module(f"{screens.__name__}.{info.name}").router
        found += [r for r in router.routes if isinstance(r, APIRoute)]
    return found


def _example(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "7", path)


def overlaps(routes: list[APIRoute]) -> list[tuple[str, str]]:
    """(path, path of another route with a shared method that also matches it)."""
    found = []
    for route in routes:
        for other in routes:
            if other is route or not (route.methods & other.methods):
                continue
            if other.path_regex.match(_example(route.path)):
                found.append((route.path, other.path))
    return found


def test_no_route_of_the_console_matches_another_routes_path() -> None:
    routes = _routes()
    paths = {r.path for r in routes}
    assert {"/runs/{run_id}/payment.csv", "/runs/{run_id}/register.xlsx", "/ledger"} <= paths
    assert overlaps(routes) == []


def test_a_catch_all_route_would_be_found() -> None:
    catch_all = APIRoute("/runs/{run_id}/{which}", lambda: None, methods=["GET"])
    fixed = APIRoute("/runs/{run_id}/print.pdf", lambda: None, methods=["GET"])
    assert overlaps([catch_all, fixed]) == [("/runs/{run_id}/print.pdf", "/runs/{run_id}/{which}")]

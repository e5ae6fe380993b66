"""시 관리자 화면: 사용자, 시 설정, 스케줄러 기록, 카탈로그, 공휴일."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services import console_admin
from payroll.services.access import ROLE_LABELS, Actor, Forbidden, NotFound, Role
from payroll.web import deps

router = APIRouter(prefix="/admin")
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/users")
def users_page(request: Request, me: ActorDep) -> Any:
    engine = deps.engine_of(request)
    ctx = {
        "users": console_admin.user_list(engine, me),
        "settings": console_admin.settings(engine, me),
        "roles": [(r.value, ROLE_LABELS[r]) for r in Role],
        "one_time": request.session.pop("one_time", None),
    }
    return deps.render(request, "admin_users.html", ctx)


def _users_action(request: Request, call: Any) -> Any:
    try:
        call()
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users")
def add_user(
    request: Request,
    me: ActorDep,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    districts: Annotated[str, Form()] = "",
) -> Any:
    engine = deps.engine_of(request)

    def add() -> None:
        codes = [d.strip() for d in districts.replace(",", " ").split() if d.strip()]
        password = console_admin.add_user(engine, me, username.strip(), name, role, codes)
        request.session["one_time"] = [username.strip(), password]

    return _users_action(request, add)


@router.post("/users/{username}/disable")
def disable(request: Request, me: ActorDep, username: str) -> Any:
    engine = deps.engine_of(request)
    return _users_action(request, lambda: console_admin.disable_user(engine, me, username))


@router.post("/users/{username}/reset")
def reset(request: Request, me: ActorDep, username: str) -> Any:
    engine = deps.engine_of(request)

    def do() -> None:
        request.session["one_time"] = [username, console_admin.reset_password(engine, me, username)]

    return _users_action(request, do)


@router.post("/settings/self-finalize")
def self_finalize(request: Request, me: ActorDep, value: Annotated[str, Form()]) -> Any:
    engine = deps.engine_of(request)
    return _users_action(
        request, lambda: console_admin.set_self_finalize(engine, me, value == "on")
    )


@router.get("/scheduler")
def scheduler(request: Request, me: ActorDep) -> Any:
    rows = console_admin.scheduler_history(deps.engine_of(request), me)
    return deps.render(request, "admin_scheduler.html", {"rows": rows})


@router.get("/catalog")
def catalog(request: Request, me: ActorDep) -> Any:
    data = console_admin.catalog(deps.engine_of(request), me)
    return deps.render(request, "admin_catalog.html", {"c": data})


@router.get("/holidays")
def holidays(request: Request, me: ActorDep, year: int = 0) -> Any:
    data = console_admin.holidays(deps.engine_of(request), me, year or date.today().year)
    return deps.render(request, "admin_holidays.html", {"h": data})

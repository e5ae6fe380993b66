"""시 관리자 화면: 사용자, 시 설정, 스케줄러 기록, 카탈로그, 공휴일."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common import display_names
from payroll.services.common.access import ROLE_LABELS, Actor, Forbidden, NotFound, Role
from payroll.services.console import admin as console_admin
from payroll.services.console.admin import CONSOLE_ISSUED_ROLES
from payroll.web import deps

router = APIRouter(prefix="/admin")
MAX_TABLE = 5 * 1024 * 1024  # an official table is well under 1 MB
ActorDep = Annotated[Actor, Depends(deps.actor)]


def _users_page(request: Request, me: Actor, one_time: list[str] | None = None) -> Any:
    """The users page; a one-time password is shown in this response only (never stored)."""
    uow = deps.uow_of(request)
    ctx = {
        "users": console_admin.user_list(uow, me),
        "settings": console_admin.settings(uow, me),
        "roles": [(r.value, ROLE_LABELS[r]) for r in Role if r in CONSOLE_ISSUED_ROLES],
        "names": display_names.names(uow),
        "one_time": one_time,
        "issued": {r.value for r in CONSOLE_ISSUED_ROLES},
    }
    return deps.render(request, "admin_users.html", ctx)


@router.get("/users")
def users_page(request: Request, me: ActorDep) -> Any:
    return _users_page(request, me)


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
    uow = deps.uow_of(request)
    codes = [d.strip() for d in districts.replace(",", " ").split() if d.strip()]
    try:
        password = console_admin.add_user(uow, me, username.strip(), name, role, codes)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
        return RedirectResponse("/admin/users", status_code=303)
    return _users_page(request, me, [username.strip(), password])


@router.post("/users/{username}/disable")
def disable(request: Request, me: ActorDep, username: str) -> Any:
    uow = deps.uow_of(request)
    return _users_action(request, lambda: console_admin.disable_user(uow, me, username))


@router.post("/users/{username}/reset")
def reset(request: Request, me: ActorDep, username: str) -> Any:
    uow = deps.uow_of(request)
    try:
        password = console_admin.reset_password(uow, me, username)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
        return RedirectResponse("/admin/users", status_code=303)
    return _users_page(request, me, [username, password])


@router.post("/settings/self-finalize")
def self_finalize(request: Request, me: ActorDep, value: Annotated[str, Form()]) -> Any:
    uow = deps.uow_of(request)
    return _users_action(request, lambda: console_admin.set_self_finalize(uow, me, value == "on"))


@router.get("/scheduler")
def scheduler(request: Request, me: ActorDep) -> Any:
    rows = console_admin.scheduler_history(deps.uow_of(request), me)
    return deps.render(request, "admin_scheduler.html", {"rows": rows})


@router.get("/catalog")
def catalog(request: Request, me: ActorDep) -> Any:
    uow = deps.uow_of(request)
    data = console_admin.catalog(uow, me)
    return deps.render(
        request, "admin_catalog.html", {"c": data, "names": display_names.names(uow)}
    )


@router.get("/holidays")
def holidays(request: Request, me: ActorDep, year: int = 0) -> Any:
    data = console_admin.holidays(deps.uow_of(request), me, year or date.today().year)
    return deps.render(request, "admin_holidays.html", {"h": data})


@router.post("/holidays")
def change_holiday(
    request: Request,
    me: ActorDep,
    day: Annotated[str, Form()],
    action: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
) -> Any:
    """Add (``action=add``) or remove a holiday; a refusal is shown on the page, kept typed."""
    uow = deps.uow_of(request)
    if action not in ("add", "remove"):
        action = "add"
    try:
        done = console_admin.change_holiday(uow, me, day, action, name)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        data = console_admin.holidays(uow, me, date.today().year)
        ctx = {"h": data, "message": str(exc), "typed": {"day": day, "name": name}}
        return deps.render(request, "admin_holidays.html", ctx, 400)
    verb = "공휴일로 추가했습니다" if action == "add" else "공휴일에서 제외했습니다"
    deps.flash(request, f"{done.isoformat()}: {verb} (이후 계산부터 적용, 확정된 달은 그대로)")
    return RedirectResponse(f"/admin/holidays?year={done.year}", status_code=303)


@router.post("/withholding")
def upload_withholding(
    request: Request,
    me: ActorDep,
    file: Annotated[UploadFile, File()],
    effective_from: Annotated[str, Form()] = "",
) -> Any:
    """Put an uploaded official withholding table in force; a refusal is shown inline.

    A plain ``def``: the table is read in a worker thread, not on the event loop.
    """
    uow = deps.uow_of(request)
    data = file.file.read(MAX_TABLE + 1)
    try:
        if len(data) > MAX_TABLE:
            raise PayrollError("파일이 너무 큽니다 (5MB까지)")
        bands = console_admin.upload_withholding(uow, me, file.filename or "", data, effective_from)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        ctx = {
            "c": console_admin.catalog(uow, me),
            "names": display_names.names(uow),
            "message": str(exc),
        }
        return deps.render(request, "admin_catalog.html", ctx, 400)
    when = f"지급일 {effective_from}부터" if effective_from.strip() else "이후 계산부터"
    deps.flash(request, f"간이세액표 {file.filename}: {bands}구간, {when} 적용합니다")
    return RedirectResponse("/admin/catalog", status_code=303)

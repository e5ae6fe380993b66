"""자치구 계정: 팀장이 자기 자치구의 담당·팀장 계정을 보고 사용 중지합니다."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common import display_names
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.console import admin as console_admin
from payroll.web import deps

router = APIRouter(prefix="/district")
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/users")
def users_page(request: Request, me: ActorDep) -> Any:
    uow = deps.uow_of(request)
    found = console_admin.district_users(uow, me)
    ctx = {"users": found, "names": display_names.names(uow)}
    return deps.render(request, "district_users.html", ctx)


@router.post("/users/{username}/disable")
def disable(request: Request, me: ActorDep, username: str) -> Any:
    try:
        console_admin.district_disable(deps.uow_of(request), me, username)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
    else:
        deps.flash(request, f"{username}: 사용 중지했습니다 (로그인 중인 세션도 끝납니다)")
    return RedirectResponse("/district/users", status_code=303)

"""로그인, 로그아웃, 비밀번호 변경."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.admin import users
from payroll.services.admin.password_policy import MAX_LENGTH as MAX_PASSWORD
from payroll.services.admin.users import MAX_USERNAME, LoginFailed, account, change_password, login
from payroll.web import deps
from payroll.web.security import client_address

router = APIRouter()


def _client(request: Request) -> str:
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers, request.app.state.trusted_proxies)


@router.get("/login")
def login_page(request: Request) -> Any:
    return deps.render(request, "login.html", {"me": None})


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Any:
    throttle = request.app.state.throttle
    client = _client(request)
    username = username.strip()[:MAX_USERNAME]
    if throttle.blocked(client, username):
        message = "로그인 실패가 너무 많습니다. 15분 뒤에 다시 시도하세요."
        return deps.render(request, "login.html", {"me": None, "error": message}, 429)
    try:
        user = login(deps.uow_of(request), username, password[:MAX_PASSWORD])
    except LoginFailed as exc:
        throttle.failed(client, username)
        return deps.render(
            request, "login.html", {"me": None, "error": str(exc), "username": username}, 401
        )
    throttle.succeeded(client, username)
    deps.start_session(request, user)
    return RedirectResponse("/password" if user.must_change_password else "/", status_code=303)


@router.post("/logout")
def logout(request: Request) -> Any:
    """End the session on the server too: a copy of the cookie no longer signs in."""
    try:
        who, _row = deps.current_user(request)
    except deps.LoginRequired:
        who = None
    if who is not None:
        users.logout(deps.uow_of(request), who.name)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/password")
def password_page(request: Request) -> Any:
    who, row = deps.current_user(request)
    return deps.render(request, "password.html", {"must": row.must_change_password})


@router.post("/password")
def password_submit(
    request: Request,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Any:
    who, row = deps.current_user(request)
    error = None
    if new != again:
        error = "새 비밀번호 두 칸이 다릅니다"
    else:
        try:
            change_password(deps.uow_of(request), who.name, current, new)
        except PayrollError as exc:
            error = str(exc)
    if error:
        ctx = {"must": row.must_change_password, "error": error}
        return deps.render(request, "password.html", ctx, 400)
    assert row.id is not None
    deps.start_session(request, account(deps.uow_of(request), row.id))  # type: ignore[arg-type]
    deps.flash(request, "비밀번호를 바꿨습니다.")
    return RedirectResponse("/", status_code=303)

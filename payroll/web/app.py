"""The console's application factory: routes, sessions, CSRF, security headers."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from payroll.composition import Root, root_of
from payroll.config.file_modes import private_files
from payroll.services.common.access import Forbidden, NotFound
from payroll.web import csrf, deps
from payroll.web.body_limit import BodyLimit
from payroll.web.jobs import Jobs
from payroll.web.routes import (
    admin,
    auth,
    board,
    carryovers,
    delivery,
    district_users,
    enrollment_end,
    filings,
    ledger,
    me,
    participants,
    run_files,
    runs,
    upload_history,
    uploads,
    waiting,
    years,
)
from payroll.web.security import LoginThrottle, SecurityHeaders, trusted_proxies

SESSION_COOKIE = "payroll_session"


def secret_key() -> str:
    """``PAYROLL_WEB_SECRET``, or a random key for this process (sessions end on restart)."""
    given = os.environ.get("PAYROLL_WEB_SECRET")
    if given:
        return given
    print(
        "PAYROLL_WEB_SECRET is not set: a random key is used; sessions end when the "
        "console restarts.",
        file=sys.stderr,
    )
    return secrets.token_urlsafe(32)


def create_app(
    source: Root | Engine,
    *,
    secret: str | None = None,
    https: bool | None = None,
    out_dir: Path | None = None,
    throttle: LoginThrottle | None = None,
) -> Any:
    """The console as an ASGI application on ``source``: the composition root (or an engine)."""
    root = root_of(source)
    private_files()  # payment files, registers and payslips the console writes: 0600
    key = secret or secret_key()
    secure = https if https is not None else os.environ.get("PAYROLL_WEB_HTTPS") == "1"
    app = FastAPI(
        title="급여 관리 콘솔",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf.check)],
    )
    app.state.root = root
    app.state.engine = root.engine
    app.state.unit_of_work = root.uow
    app.state.out_dir = Path(out_dir or root.settings.output_dir)
    app.state.jobs = Jobs()
    app.state.throttle = throttle or LoginThrottle()
    app.state.trusted_proxies = trusted_proxies()
    # Inside the session middleware: the body limit depends on being signed in.
    app.add_middleware(BodyLimit)
    # Signed (itsdangerous), HttpOnly, SameSite=Lax cookie that expires with the session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=deps.SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure,
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # every route has an explicit path: the order of the routers does not matter
    for module in (
        auth,
        board,
        waiting,
        upload_history,
        uploads,
        runs,
        carryovers,
        delivery,
        participants,
        run_files,
        enrollment_end,
        filings,
        ledger,
        years,
        admin,
        district_users,
        me,
    ):
        app.include_router(module.router)

    @app.exception_handler(deps.LoginRequired)
    async def _login(request: Request, _exc: Exception) -> Any:
        if request.headers.get("hx-request"):
            return _htmx_redirect("/login")
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(deps.MustChangePassword)
    async def _password(request: Request, _exc: Exception) -> Any:
        return RedirectResponse("/password", status_code=303)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: Exception) -> Any:
        return deps.render(
            request, "error.html", {"title": "찾을 수 없음", "message": str(exc)}, 404
        )

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Exception) -> Any:
        ctx = {"title": "권한 없음", "message": str(exc)}
        return deps.render(request, "error.html", ctx, 403)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: Exception) -> Any:
        ctx = {"title": "잘못된 요청", "message": "주소나 입력값이 올바르지 않습니다."}
        return deps.render(request, "error.html", ctx, 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: Any) -> Any:
        titles = {404: "찾을 수 없음", 405: "허용되지 않는 요청", 413: "요청이 너무 큼"}
        message = exc.detail if exc.status_code == 413 else "요청한 화면이 없습니다."
        ctx = {"title": titles.get(exc.status_code, "오류"), "message": message}
        return deps.render(request, "error.html", ctx, exc.status_code)

    @app.exception_handler(csrf.CsrfRefused)
    async def _csrf(request: Request, _exc: Exception) -> Any:
        ctx = {
            "title": "요청 거부",
            "message": "보안 토큰(CSRF)이 없거나 맞지 않아 요청을 거부했습니다. "
            "페이지를 새로 고친 뒤 다시 시도하세요.",
        }
        return deps.render(request, "error.html", ctx, 403)

    return SecurityHeaders(app)


def _htmx_redirect(to: str) -> Any:
    from fastapi.responses import Response

    return Response(status_code=204, headers={"HX-Redirect": to})

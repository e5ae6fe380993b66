"""참여자 본인 화면 (/me): phone-first sign-in (참여자번호 + 생년월일 + 문자 확인 코드) and
the participant's own payslips, enrollments, leave and final settlement.

The participant's session is separate from a console user's (``me`` in the signed
cookie), lasts at most :data:`payroll.domain.portal.SESSION_MINUTES` minutes, and every
failed step counts against the client address (its own throttle, not the console's).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from payroll.config.settings import public_url
from payroll.domain import portal
from payroll.formats.inputs import InputError, parse_date
from payroll.notify.sms import provider_from_env
from payroll.services.common.access import NotFound
from payroll.services.console.files import _render  # the console's one renderer
from payroll.services.people import portal as service
from payroll.web import deps
from payroll.web.security import LoginThrottle

router = APIRouter()


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _throttle(request: Request) -> LoginThrottle:
    state = request.app.state
    if not hasattr(state, "me_throttle"):
        state.me_throttle = LoginThrottle(limit=10, window=900.0)
    return state.me_throttle  # type: ignore[no-any-return]


def _signed_in(request: Request) -> str | None:
    """The signed-in participant's ID, while the session is young enough."""
    me = request.session.get("me")
    if not me:
        return None
    if datetime.now(UTC).timestamp() - float(me.get("at", 0)) > portal.SESSION_MINUTES * 60:
        request.session.pop("me", None)
        return None
    return str(me["pid"])


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> Any:
    return deps.render(request, template, {"me": None, **ctx}, status=status)


@router.get("/me")
def home(request: Request) -> Any:
    pid = _signed_in(request)
    if pid is None:
        return _page(request, "me_login.html", step=request.session.get("me_pending"))
    page = service.my_page(deps.uow_of(request), pid)
    return _page(request, "me_home.html", page=page)


@router.post("/me/code")
def send_code(
    request: Request,
    participant_id: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
) -> Any:
    throttle, client = _throttle(request), _client(request)
    if throttle.blocked(client):
        return _page(
            request, "me_login.html", 429, error="시도가 너무 많습니다. 15분 뒤에 다시 하십시오."
        )
    try:
        now = datetime.now(UTC)
        born = portal.six_digit_birth(birth_date, now.date()) or parse_date(birth_date)
        message = service.send_code(
            deps.uow_of(request), participant_id, born, provider_from_env(),
            now, f"{public_url()}/me",
        )  # fmt: skip
    except (InputError, service.SignInError) as exc:
        throttle.failed(client)
        shown = str(exc) if isinstance(exc, service.SignInError) else "생년월일을 확인하십시오"
        return _page(request, "me_login.html", 400, error=shown)
    request.session["me_pending"] = participant_id.strip()
    deps.flash(request, message)
    return RedirectResponse("/me", status_code=303)


@router.post("/me/login")
def login(request: Request, code: Annotated[str, Form()] = "") -> Any:
    throttle, client = _throttle(request), _client(request)
    pending = request.session.get("me_pending")
    if throttle.blocked(client) or not pending:
        error = "시도가 너무 많습니다. 15분 뒤에 다시 하십시오." if pending else None
        return _page(request, "me_login.html", 429 if pending else 400,
                     error=error or "먼저 확인 코드를 받으십시오.")  # fmt: skip
    try:
        pid = service.check_code(deps.uow_of(request), pending, code, datetime.now(UTC))
    except service.SignInError as exc:
        throttle.failed(client)
        return _page(request, "me_login.html", 400, error=str(exc), step=pending)
    throttle.succeeded(client)
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session: nothing of before carries over
    request.session.update({"me": {"pid": pid, "at": datetime.now(UTC).timestamp()}})
    if csrf:
        request.session["csrf"] = csrf
    return RedirectResponse("/me", status_code=303)


@router.post("/me/logout")
def logout(request: Request) -> Any:
    request.session.clear()
    return RedirectResponse("/me", status_code=303)


def _own(request: Request) -> str:
    pid = _signed_in(request)
    if pid is None:
        raise NotFound("로그인이 필요합니다")
    return pid


@router.get("/me/payslips/{payslip_id}.pdf")
def payslip_pdf(request: Request, payslip_id: int) -> Any:
    pid = _own(request)
    view = service.my_payslip(deps.uow_of(request), pid, payslip_id)
    name = f"{view.month}-{view.participant_id}.pdf"
    return Response(
        _render(view),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/me/payslips/{payslip_id:int}")  # not the .pdf beside it
def payslip(request: Request, payslip_id: int) -> Any:
    pid = _signed_in(request)
    if pid is None:
        return RedirectResponse("/me", status_code=303)
    view = service.my_payslip(deps.uow_of(request), pid, payslip_id)
    return _page(request, "me_payslip.html", v=view, payslip_id=payslip_id)
